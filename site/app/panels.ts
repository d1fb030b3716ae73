/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The panels under the chart: what the selected schedule is (the library's explanation), the
 * comparison of two curves, and verify — a golden CSV against a candidate's, the report
 * `lrspec verify` prints (browser only).
 *
 * @module
 */

import { curveEnvelope } from "../../plot/envelope.ts";
import { PLOT_COLORS } from "../../plot/svg.ts";
import { pyFloatRepr } from "../../config/python.ts";
import { ulpDistance } from "../../schedules/math.ts";
import { formatVerifyReport, verifyCsv, type VerifyReport } from "../../verify/verify.ts";
import { parseNumber, readTable, type Table } from "../../verify/csv.ts";
import {
  COMPARE_CHART_EXACT_ROWS,
  compareRuns,
  differenceRuns,
  headline,
  uncheckedText,
} from "../curves.ts";
import { LETTERS } from "../state.ts";
import { sharedAxis } from "../../views/axis.ts";
import { Chart } from "./chart.ts";
import { docText, h, readFileText } from "./dom.ts";
import type { PanelHost as App } from "./host.ts";

const SMALL_CHART = 300;

/** The selected curve: its schedule's doc, the library's explanation, its notes. */
export function explainPanel(app: App, panel: HTMLElement): void {
  const i = app.state.selected;
  const b = app.built[i];
  const def = app.defs.get(app.state.curves[i]!.id)!;
  const curve = b?.curve;
  panel.replaceChildren(
    h("h2", {}, `${LETTERS[i]!.toUpperCase()}: ${def.family} ${def.name}`),
    h("p", { class: "summary" }, docText(def.summary)),
    curve
      ? h("pre", { id: "explain", class: "explain" }, curve.explain || "(no explanation)")
      : h("p", { class: "error" }, b?.error?.message ?? "no curve"),
    curve && curve.notes.length
      ? h("ul", { class: "notes" }, curve.notes.map((n) => h("li", {}, docText(n))))
      : "",
    curve
      ? h(
        "p",
        { class: "meta" },
        `${curve.runs.rows.toLocaleString("en")} ${curve.xLabel}s (${
          curve.runs.columns.join(", ")
        })`,
        curve.runs.error ? `; raises from ${curve.runs.error.iteration}` : "",
      )
      : "",
  );
}

/** Two curves compared: first divergence, ULP distance, the difference plotted. */
export function comparePanel(app: App, panel: HTMLElement): void {
  const n = app.state.curves.length;
  if (n < 2) {
    panel.replaceChildren(
      h("h2", {}, "Compare"),
      h(
        "p",
        {},
        "Two curves are needed: ",
        h(
          "button",
          { type: "button", id: "compare-add", onclick: () => app.addCurve() },
          "+ curve",
        ),
        " adds a copy of the one being edited — change an option, and compare.",
      ),
    );
    return;
  }
  const [ia, ib] = app.state.compare.map((k) => Math.min(k, n - 1)) as [number, number];
  const pick = (which: 0 | 1, value: number) =>
    h(
      "select",
      {
        id: which === 0 ? "compare-a" : "compare-b",
        onchange: (e: Event) => {
          app.state.compare[which] = Number((e.target as HTMLSelectElement).value);
          app.changedByPanel();
        },
      },
      app.state.curves.map((_, k) =>
        h("option", { value: k, selected: k === value }, app.label(k))
      ),
    );
  const mode = h(
    "select",
    {
      id: "compare-mode",
      onchange: (e: Event) => {
        app.state.diff = (e.target as HTMLSelectElement).value as "difference" | "ulp";
        app.changedByPanel();
      },
    },
    h("option", { value: "difference", selected: app.state.diff === "difference" }, "|A − B|"),
    h("option", { value: "ulp", selected: app.state.diff === "ulp" }, "distance in ULPs"),
  );
  const head = h(
    "div",
    { class: "compare-head" },
    h("label", {}, "A ", pick(0, ia)),
    h("label", {}, "B ", pick(1, ib)),
    h("label", {}, "plot ", mode),
  );
  const a = app.built[ia]?.curve, b = app.built[ib]?.curve;
  if (!a || !b) {
    panel.replaceChildren(
      h("h2", {}, "Compare"),
      head,
      h("p", { class: "error" }, "A curve has no values (see its form)."),
    );
    return;
  }
  const nameA = LETTERS[ia]!.toUpperCase(), nameB = LETTERS[ib]!.toUpperCase();
  // An epoch is not an iteration: curves that count different things have no rows in common.
  if (sharedAxis([a.view, b.view]).scales.some((k) => k !== 1)) {
    panel.replaceChildren(
      h("h2", {}, "Compare"),
      head,
      h(
        "p",
        { id: "compare-result", class: "error" },
        `${nameA} counts ${a.view.unit}s and ${nameB} ${b.view.unit}s: no row of one is a row of ` +
          "the other, so they are not compared. Compare curves that count the same thing.",
      ),
    );
    return;
  }
  const ra = headline(a.runs), rb = headline(b.runs);
  // Rows are compared; they are named as the curves number them when both agree (the Trainer's
  // steps from 1, timm's epochs), else as rows from 0.
  const same = a.xLabel === b.xLabel && a.view.firstIndex === b.view.firstIndex;
  const unit = same ? a.xLabel : "row";
  const off = same ? a.view.firstIndex : 0;
  const d = compareRuns(ra, rb);
  /** Rows compared value by value (all of them unless the budget left some to sampling). */
  const exact = d.compared - (d.unchecked?.rows ?? 0);
  const first = d.differences[0];
  const lines: (HTMLElement | string)[] = [];
  let firstIteration: number | undefined;
  if (!first) {
    lines.push(
      h(
        "p",
        { id: "compare-result", class: "ok" },
        d.unchecked
          ? `${nameA} and ${nameB} are identical, bit for bit, at the ${
            exact.toLocaleString("en")
          } ${unit}s compared exactly of the ${d.compared.toLocaleString("en")} they share.`
          : `${nameA} and ${nameB} are identical, bit for bit, at all ${
            d.compared.toLocaleString("en")
          } ${unit}s they share.`,
      ),
    );
  } else {
    firstIteration = first.from;
    const va = app.built[ia]!.reader!.at(first.from), vb = app.built[ib]!.reader!.at(first.from);
    const maxUlp = Math.max(...d.differences.map((x) => x.maxUlp));
    const differing = exact - d.identical;
    lines.push(
      h(
        "p",
        { id: "compare-result", class: "diverge" },
        `First diverging ${unit}: `,
        h("b", { id: "compare-first" }, String(first.from + off)),
        ` — ${nameA} `,
        h("code", {}, pyFloatRepr(va)),
        `, ${nameB} `,
        h("code", {}, pyFloatRepr(vb)),
        ", ",
        h("b", { id: "compare-ulp" }, String(ulpDistance(va, vb))),
        " ULP apart.",
      ),
      h(
        "p",
        {},
        `${differing.toLocaleString("en")} of ${exact.toLocaleString("en")} ${unit}s ${
          d.unchecked ? "compared exactly " : ""
        }differ; the largest distance is `,
        h("b", { id: "compare-max-ulp" }, String(maxUlp)),
        " ULP.",
      ),
      h(
        "table",
        { class: "differences" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            [`${unit}s`, nameA, nameB, "max |A − B|", "max ULP"].map((t) => h("th", {}, t)),
          ),
        ),
        h(
          "tbody",
          {},
          d.differences.slice(0, 12).map((x) =>
            h(
              "tr",
              {},
              h(
                "td",
                {},
                x.from === x.to ? String(x.from + off) : `${x.from + off}–${x.to + off}`,
              ),
              h("td", {}, range(x.a)),
              h("td", {}, range(x.b)),
              h("td", {}, pyFloatRepr(x.maxAbs)),
              h("td", {}, String(x.maxUlp)),
            )
          ),
        ),
      ),
      d.differences.length > 12
        ? h("p", { class: "meta" }, `… ${d.differences.length - 12} more stretches`)
        : "",
    );
  }
  const rest = uncheckedText(d, unit, off);
  if (rest) lines.push(h("p", { id: "compare-unchecked", class: "meta" }, rest));
  for (
    const [name, only] of [[nameA, d.iterationsOnlyInA], [nameB, d.iterationsOnlyInB]] as const
  ) {
    if (only) {
      lines.push(h("p", {}, `Only ${name} has ${unit}s ${only.map((r) => r + off).join("–")}.`));
    }
  }
  const box = h("div", { id: "compare-chart" });
  panel.replaceChildren(h("h2", {}, "Compare"), head, ...lines, box);
  const chart = new Chart(box);
  const diff = differenceRuns(ra, rb, app.state.diff);
  // The chart's zoom is in its axis' rows: these curves' own only when the chart draws both
  // unconverted (beside a curve of epochs they may be converted, or left off); else all rows.
  const scales = app.axis().scales;
  const zoomable = scales[ia] === 1 && scales[ib] === 1;
  const [from, to] = zoomable ? app.range() : [0, diff.rows];
  const end = Math.min(to, diff.rows);
  if (end <= from) return chart.message(`No ${unit} in common in the range shown.`);
  const env = curveEnvelope(diff, {
    from,
    to: end,
    buckets: chart.width,
    exactRows: COMPARE_CHART_EXACT_ROWS,
  });
  const marks = firstIteration !== undefined && firstIteration >= from && firstIteration < end
    ? [{ x: firstIteration + off, label: `first divergence at ${firstIteration + off}` }]
    : [];
  const label = app.state.diff === "ulp"
    ? `distance in ULPs between ${nameA} and ${nameB}`
    : `|${nameA} − ${nameB}|`;
  const reader = (x: number) => {
    const u = app.built[ia]!.reader!.at(x - off), v = app.built[ib]!.reader!.at(x - off);
    return app.state.diff === "ulp" ? ulpDistance(u, v) : Math.abs(u - v);
  };
  if (zoomable) {
    chart.onZoom = (x0, x1) =>
      app.setRange([Math.max(0, Math.floor(x0) - off), Math.ceil(x1) - off + 1]);
    chart.onReset = () => app.setRange(undefined);
  }
  chart.draw({
    series: [{ label, x: off ? env.x.map((r) => r + off) : env.x, y: env.y, color: "#555", marks }],
    options: {
      xLabel: unit,
      yLabel: app.state.diff === "ulp" ? "ULPs" : "difference",
      logY: app.state.log,
    },
    hover: [{ label, color: "#555", at: reader }],
    integerX: true,
    xName: unit,
  }, SMALL_CHART);
}

function range([lo, hi]: [number, number]): string {
  return lo === hi ? pyFloatRepr(lo) : `${pyFloatRepr(lo)} … ${pyFloatRepr(hi)}`;
}

/** A drop zone for one CSV (or a curve's own CSV, one click). */
function csvInput(app: App, which: "golden" | "candidate"): HTMLElement {
  const f = app.state.verify[which];
  const set = (name: string, text: string) => {
    app.state.verify[which] = { name, text };
    app.changedByPanel();
  };
  const input = h("input", {
    type: "file",
    id: `verify-${which}`,
    accept: ".csv,text/csv,text/plain",
    onchange: async () => {
      const file = input.files?.[0];
      if (file) set(file.name, await readFileText(file));
    },
  });
  const zone = h(
    "div",
    { class: `drop${f ? " loaded" : ""}`, "data-drop": which },
    h("b", {}, which === "golden" ? "Golden CSV" : "Candidate CSV"),
    h(
      "span",
      { class: "file-name" },
      f ? ` ${f.name} (${f.text.split("\n").length - 1} lines)` : " — drop a file here, or ",
    ),
    input,
    h(
      "span",
      { class: "use-curve" },
      " or use curve ",
      app.state.curves.map((_, k) =>
        h("button", {
          type: "button",
          "data-use": `${which}-${LETTERS[k]}`,
          title: `curve ${LETTERS[k]!.toUpperCase()}'s CSV, as Export CSV writes it`,
          onclick: () => {
            const csv = app.csv(k);
            if (csv !== undefined) set(`${app.fileName(k)}.csv`, csv);
          },
        }, LETTERS[k]!.toUpperCase())
      ),
    ),
  );
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", async (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    const file = e.dataTransfer?.files[0];
    if (file) set(file.name, await readFileText(file));
  });
  return zone;
}

/** A table's key and one column, as numbers (NaN where upstream raised or a cell is empty). */
function columnOf(t: Table, column: string): { x: number[]; y: number[] } {
  const c = t.header.indexOf(column);
  const x: number[] = [], y: number[] = [];
  for (const row of t.rows) {
    const key = parseNumber(row.cells[0]!, `${t.source}:${row.line}`);
    const cell = c >= 0 ? row.cells[c] ?? "" : "";
    x.push(key);
    y.push(cell === "" ? NaN : parseNumber(cell, `${t.source}:${row.line}`));
  }
  const order = x.map((_, i) => i).sort((p, q) => x[p]! - x[q]!);
  return { x: order.map((i) => x[i]!), y: order.map((i) => y[i]!) };
}

/** Verify: a golden CSV and a candidate's, compared as `lrspec verify` compares them. */
export function verifyPanel(app: App, panel: HTMLElement): void {
  const v = app.state.verify;
  const maxUlp = h("input", {
    id: "verify-max-ulp",
    type: "text",
    value: v.maxUlp,
    size: 4,
    onchange: () => {
      v.maxUlp = maxUlp.value.trim() || "0";
      app.changedByPanel();
    },
  });
  const head = h(
    "div",
    { class: "verify-inputs" },
    csvInput(app, "golden"),
    csvInput(app, "candidate"),
    h(
      "label",
      { class: "max-ulp" },
      "max ULP ",
      maxUlp,
      h(
        "span",
        { class: "meta" },
        " (0: bit for bit; use more only for values through cos/pow, and say so)",
      ),
    ),
  );
  const out: (HTMLElement | string)[] = [];
  let report: VerifyReport | undefined;
  let golden: Table | undefined, candidate: Table | undefined;
  if (v.golden && v.candidate) {
    const tolerance = Number(v.maxUlp);
    try {
      if (!/^\d+$/.test(v.maxUlp) || !Number.isSafeInteger(tolerance)) {
        throw new RangeError(
          `max ULP must be a non-negative integer: got ${JSON.stringify(v.maxUlp)}`,
        );
      }
      report = verifyCsv(v.golden.text, v.candidate.text, {
        goldenName: v.golden.name,
        candidateName: v.candidate.name,
        maxUlp: tolerance,
      });
      golden = readTable(v.golden.text, v.golden.name);
      candidate = readTable(v.candidate.text, v.candidate.name);
      out.push(
        h(
          "pre",
          { id: "verify-report", class: report.ok ? "report ok" : "report fail" },
          formatVerifyReport(report, tolerance),
        ),
      );
    } catch (e) {
      out.push(
        h("p", { id: "verify-error", class: "error" }, e instanceof Error ? e.message : String(e)),
      );
    }
  } else {
    out.push(
      h(
        "p",
        { class: "meta" },
        docText(
          "Drop the golden CSV (upstream's output, e.g. from `lrspec golden-script`) and your port's CSV (`iter,lr` rows, any language): the report is the one `lrspec verify` prints, and the first divergence is marked on the chart.",
        ),
      ),
    );
  }
  const box = h("div", { id: "verify-chart" });
  panel.replaceChildren(h("h2", {}, "Verify"), head, ...out, box);
  if (!report || !golden || !candidate) return;
  const column = report.first?.column !== "error" && report.first?.column
    ? report.first.column
    : golden.header.slice(1).find((c) => c !== "error") ?? golden.header[1]!;
  try {
    const g = columnOf(golden, column), c = columnOf(candidate, column);
    const key = report.first ? Number(report.first.key) : undefined;
    const marks = key !== undefined
      ? [{ x: key, label: `first divergence at ${report.first!.key}` }]
      : [];
    const series = [
      { label: `golden ${v.golden!.name} (${column})`, x: g.x, y: g.y, color: PLOT_COLORS[0]! },
      {
        label: `candidate ${v.candidate!.name}`,
        x: c.x,
        y: c.y,
        color: PLOT_COLORS[1]!,
        dash: "6 4",
        marks,
      },
    ];
    if (key !== undefined) box.after(aroundTable(g, c, key, report.first!.key));
    const chart = new Chart(box);
    const lookup = (t: { x: number[]; y: number[] }) => {
      const m = new Map(t.x.map((x, i) => [x, t.y[i]!]));
      return (x: number) => m.get(x) ?? NaN;
    };
    chart.draw({
      series,
      options: {
        xLabel: golden.header[0]!,
        yLabel: column,
        logY: app.state.log,
      },
      hover: [
        { label: "golden", color: PLOT_COLORS[0]!, at: lookup(g) },
        { label: "candidate", color: PLOT_COLORS[1]!, at: lookup(c) },
      ],
      integerX: g.x.every(Number.isInteger),
      xName: golden.header[0]!,
    }, 380);
  } catch (e) {
    box.replaceChildren(h("p", { class: "error" }, e instanceof Error ? e.message : String(e)));
  }
}

/** The rows around the first divergence: key, golden, candidate, ULP distance. */
function aroundTable(
  g: { x: number[]; y: number[] },
  c: { x: number[]; y: number[] },
  key: number,
  keyText: string,
): HTMLElement {
  const at = g.x.indexOf(key);
  const candidate = new Map(c.x.map((x, i) => [x, c.y[i]!]));
  const rows = g.x.slice(Math.max(0, at - 3), at + 4).map((x, k) => {
    const i = Math.max(0, at - 3) + k;
    const gv = g.y[i]!, cv = candidate.get(x);
    const cell = (v: number | undefined) =>
      v === undefined ? "missing" : Number.isNaN(v) ? "—" : pyFloatRepr(v);
    return h(
      "tr",
      { class: x === key ? "diverges" : "" },
      h("td", {}, String(x)),
      h("td", {}, cell(gv)),
      h("td", {}, cell(cv)),
      h("td", {}, cv === undefined ? "" : String(ulpDistance(gv, cv))),
    );
  });
  return h(
    "table",
    { class: "differences", id: "verify-rows", "data-first": keyText },
    h("thead", {}, h("tr", {}, ["key", "golden", "candidate", "ULP"].map((t) => h("th", {}, t)))),
    h("tbody", {}, rows),
  );
}
