/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The playground page: the library itself, in the browser. Every curve is computed by lrspec's
 * own modules (bundled from this repository by `deno task site:build`); nothing is sent anywhere.
 *
 * @module
 */

import { curveEnvelope, type CurvePoints } from "../../plot/envelope.ts";
import { PLOT_COLORS, type PlotFrame, type PlotSeries } from "../../plot/svg.ts";
import { VERSION } from "../../version.ts";
import * as lrspec from "../../mod.ts";
import { libm } from "../../schedules/math.ts";
import {
  DEFAULT_SCHEDULE,
  errorField,
  FAMILIES,
  type ScheduleDef,
  siteSchedules,
} from "../families/mod.ts";
import type { SiteSchema } from "../schema.ts";
import { curveCsv, ValueReader } from "../curves.ts";
import { type SharedAxis, sharedAxis } from "../../views/axis.ts";
import {
  type CurveState,
  decodeState,
  defaultState,
  encodeState,
  LETTERS,
  type PageState,
} from "../state.ts";
import { Chart } from "./chart.ts";
import { PagePython, type WorkerLike } from "../python.ts";
import { byId, download, fill, h } from "./dom.ts";
import { Form } from "./form.ts";
import { comparePanel, explainPanel, verifyPanel } from "./panels.ts";
import type { Built, PanelHost } from "./host.ts";

export type { Built };

/** The most curves on one chart. */
const MAX_CURVES = LETTERS.length;
const CHART_HEIGHT = 440;

/** The page. */
export class App implements PanelHost {
  readonly schema: SiteSchema;
  readonly defs: Map<string, ScheduleDef>;
  state: PageState;
  built: Built[] = [];
  readonly chart: Chart;
  readonly form: Form;
  /** Milliseconds each update took (an option change: build, draw, panel), for the tests. */
  readonly updates: number[] = [];
  #urlTimer: ReturnType<typeof setTimeout> | undefined;
  #urlPending: Promise<void> | undefined;
  #dirty = false;
  #typed = false;

  /**
   * @param schema The docs' forms, embedded by the build.
   * @param state The state to start from.
   */
  constructor(schema: SiteSchema, state: PageState) {
    this.schema = schema;
    this.defs = siteSchedules(schema);
    this.state = state;
    this.chart = new Chart(byId("chart"));
    this.chart.onZoom = (a, b) => {
      // x is the curves' numbering (the Trainer's steps from 1); the range is in rows.
      const off = this.offset();
      const from = Math.max(0, Math.floor(a) - off);
      const to = Math.max(from + 2, Math.ceil(b) - off + 1);
      this.setRange([from, to]);
    };
    this.chart.onReset = () => this.setRange(undefined);
    this.form = new Form(byId("form"), this.defs, FAMILIES, schema, {
      value: (name, text) => this.#edit(() => (this.#selected.values[name] = text)),
      values: (texts) => this.#edit(() => Object.assign(this.#selected.values, texts)),
      files: (files) => {
        this.#edit(() => (this.#selected.files = files));
        this.#showForm();
        this.#showErrors();
      },
      schedule: (id, carry) => {
        const before = this.#selected;
        const next = this.fresh(id);
        if (carry) this.#carry(before, next);
        this.state.curves[this.state.selected] = next;
        this.#rebuild(this.state.selected);
        this.#showCurves(); // the curve's chip names the new schedule
        this.#showForm();
        this.#redraw();
        this.#changed();
      },
    });
    this.state.curves.forEach((_, i) => this.#rebuild(i));
    this.#toolbar();
    this.#showCurves();
    this.#showForm();
    this.#redraw();
    addEventListener("resize", () => {
      clearTimeout(this.#resizeTimer);
      this.#resizeTimer = setTimeout(() => this.#redraw(), 100);
    });
  }
  #resizeTimer: ReturnType<typeof setTimeout> | undefined;

  /** `.py` configs, read in a worker (python/worker.js); every curve is built again after each. */
  readonly #python: PagePython = new PagePython(
    () =>
      new Worker(new URL("python/worker.js", location.href), {
        type: "module",
      }) as unknown as WorkerLike,
    () => {
      this.state.curves.forEach((_, i) => this.#rebuild(i));
      this.#showErrors();
      this.#redraw();
      this.#showCurves();
    },
  );

  get #selected(): CurveState {
    return this.state.curves[this.state.selected]!;
  }

  /** A curve of a schedule with its fields' initial texts. */
  fresh(id: string): CurveState {
    return { id, values: initialTexts(this.defs.get(id)!), files: {} };
  }

  /**
   * Keeps, in a new curve of another member of a variant set, the texts the user gave the old
   * curve's fields of the same name (those that differ from the old form's initial texts).
   */
  #carry(before: CurveState, next: CurveState): void {
    const old = this.defs.get(before.id)!;
    for (const f of this.defs.get(next.id)!.fields) {
      const was = old.fields.find((g) => g.name === f.name);
      const text = before.values[f.name];
      if (!was || text === undefined || f.control === "files") continue;
      if (text !== (was.example ?? "")) next.values[f.name] = text;
    }
  }

  /** The label of curve `i` in legends and lists, cut at `max` characters (the chips: whole). */
  label(i: number, max = 90): string {
    const c = this.state.curves[i]!;
    const def = this.defs.get(c.id)!;
    const changed = def.fields.filter((f) =>
      f.control !== "textarea" && f.control !== "files" &&
      (c.values[f.name] ?? "") !== (f.example ?? "") && (c.values[f.name] ?? "") !== ""
    ).map((f) => `${f.name.replace(/^SOLVER\./, "")}=${c.values[f.name]}`);
    const legend = def.legend?.(c.values);
    const what = legend ??
      (c.id === DEFAULT_SCHEDULE && changed.length === 0
        ? "detectron2 defaults"
        : `${def.family} ${def.name}`);
    const extra = changed.length && legend === undefined ? ` (${changed.join(", ")})` : "";
    const text = `${LETTERS[i]!.toUpperCase()}: ${what}${extra}`;
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }

  /** Curve `i`'s color. */
  color(i: number): string {
    return PLOT_COLORS[i % PLOT_COLORS.length]!;
  }

  /** Builds curve `i` with the library. */
  #rebuild(i: number): void {
    const c = this.state.curves[i]!;
    const def = this.defs.get(c.id)!;
    try {
      const curve = def.build({ values: c.values, files: c.files, python: this.#python.resolve });
      this.built[i] = {
        curve,
        error: undefined,
        reader: new ValueReader(curve.runs),
        envelopes: new Map(),
      };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // Beside the option the error is about: its data, not its message.
      const field = errorField(def, e);
      this.built[i] = {
        curve: undefined,
        error: { field, message },
        reader: undefined,
        envelopes: new Map(),
      };
    }
  }

  /** A change to the selected curve: rebuild it, redraw, and remember it in the URL. */
  #edit(change: () => void): void {
    const t0 = performance.now();
    change();
    this.#rebuild(this.state.selected);
    this.#showErrors();
    this.#redraw();
    this.#showCurves();
    this.updates.push(performance.now() - t0);
    this.#changed();
  }

  #showErrors(): void {
    const b = this.built[this.state.selected];
    this.form.errors(b?.error ? [b.error] : []);
  }

  #showForm(): void {
    const i = this.state.selected;
    this.form.show(this.#selected, { letter: LETTERS[i]!.toUpperCase(), color: this.color(i) });
    this.#showErrors();
  }

  /**
   * The x axis the curves share (`views/axis.ts`): their count, or epochs when some count epochs
   * and the others know their epoch length; else the selected curve's count, the curves counting
   * the other thing not drawn (and said so).
   */
  axis(): SharedAxis {
    return sharedAxis(
      this.built.map((b) => b.curve?.view),
      this.state.selected,
      [...LETTERS.toUpperCase()],
    );
  }

  /** The rows of curve `i` within the axis' rows `[from, to)` (its scale `k` ≠ 1: converted). */
  #rowsOf(i: number, k: number, from: number, to: number): [number, number] {
    const rows = this.built[i]!.curve!.runs.rows;
    if (k === 1) return [from, Math.min(to, rows)];
    const first = this.built[i]!.curve!.view.firstIndex, off = this.offset();
    const a = Math.max(0, Math.ceil((from + off) / k - first));
    return [a, Math.min(rows, Math.max(a, Math.ceil((to + off) / k - first)))];
  }

  /** The rows shown, in the axis' unit: the zoom (unless `all`), or all of the longest curve. */
  range(all = false): [number, number] {
    const scales = this.axis().scales;
    const rows = Math.max(
      1,
      ...this.built.map((b, i) => {
        const k = scales[i];
        if (!b.curve || k === undefined) return 0;
        return k === 1 ? b.curve.runs.rows : Math.ceil((b.curve.runs.rows - 1) * k) + 1;
      }),
    );
    const r = this.state.range;
    if (!r || all) return [0, rows];
    const from = Math.min(Math.max(0, r[0]), rows - 1);
    return [from, Math.max(from + 1, Math.min(r[1], rows))];
  }

  /** Zooms to `[from, to)` (undefined: every iteration); `typed`: from the toolbar's fields. */
  setRange(range: [number, number] | undefined, typed = false): void {
    this.state.range = range;
    this.#typed = typed;
    this.#redraw();
    this.#typed = false;
    this.#changed();
  }

  /** The envelope of curve `i`'s column `c` over the range, cached. */
  envelope(i: number, c: number, from: number, to: number, buckets: number): CurvePoints {
    const b = this.built[i]!;
    const key = `${c}|${from}|${to}|${buckets}`;
    let e = b.envelopes.get(key);
    if (!e) {
      const curve = b.curve!.runs;
      const end = Math.min(to, curve.rows);
      e = end > from
        ? curveEnvelope(curve, { column: c, from, to: end, buckets })
        : { x: [], y: [] };
      if (b.envelopes.size > 8) b.envelopes.clear();
      b.envelopes.set(key, e);
    }
    return e;
  }

  /** Draws the chart and the open panel. */
  #redraw(): void {
    this.#syncToolbar();
    const buckets = this.chart.width;
    const series: PlotSeries[] = [];
    const axis = this.axis();
    const xLabel = axis.unit;
    this.built.forEach((b, i) => {
      const k = axis.scales[i];
      if (!b.curve || k === undefined) return; // another count: said in the subtitle
      const [from, to] = this.#rowsOf(i, k, ...this.range());
      const cols = b.curve.runs.columns;
      // Each curve's rows are drawn at their numbers, as `lrspec curve` and `plot` number them;
      // a curve converted to the axis' epochs at its rows ÷ rows per epoch.
      const first = b.curve.view.firstIndex;
      const own = b.curve.view.unit;
      cols.forEach((col, c) => {
        const env = this.envelope(i, c, from, to, buckets);
        if (env.x.length === 0) return;
        series.push({
          label: cols.length > 1 ? `${this.label(i)} ${col}` : this.label(i),
          x: first === 0 && k === 1 ? env.x : env.x.map((r) => (r + first) * k),
          y: env.y,
          color: this.color(i),
          ...(c > 0 ? { dash: "6 3" } : {}),
          marks: c === 0
            ? b.curve!.marks.filter((m) => m.iteration >= from && m.iteration < to).map((m) => ({
              x: (m.iteration + first) * k,
              // A warmup is labelled with its length (rows), a change with where it is; on an
              // axis of another count, with the curve's own (`×0.1 iteration 48000`).
              label: `${m.what} ${k === 1 ? "" : `${own} `}${
                m.what === "warmup" ? m.iteration : m.iteration + first
              }`,
            }))
            : [],
        });
      });
    });
    if (series.length === 0) {
      this.chart.message(
        this.built.some((b) => b.error)
          ? "No curve: the library rejected the options (see the form)."
          : axis.notes.length > 0
          ? `No curve: ${axis.notes.join("; ")}.`
          : "No curve.",
      );
    } else {
      this.chart.draw({
        series,
        options: {
          logY: this.state.log,
          xLabel,
          yLabel: "learning rate",
          ...(axis.notes.length > 0 ? { subtitle: axis.notes.join("; ") } : {}),
        },
        hover: this.built.flatMap((b, i) => {
          const k = axis.scales[i];
          if (!b.curve || k === undefined) return [];
          const first = b.curve.view.firstIndex;
          return [{
            label: LETTERS[i]!.toUpperCase(),
            color: this.color(i),
            at: (x: number) => b.reader!.at((k === 1 ? x : Math.round(x / k)) - first),
          }];
        }),
        integerX: true,
        xName: xLabel,
      }, CHART_HEIGHT);
    }
    this.#showPanel();
  }

  /** The curve list: one chip per curve, and "+ curve". */
  #showCurves(): void {
    const box = byId("curves");
    fill(
      box,
      this.state.curves.map((_, i) =>
        h(
          "span",
          {
            class: `chip${i === this.state.selected ? " selected" : ""}${
              this.built[i]?.error ? " invalid" : ""
            }`,
            "data-curve": LETTERS[i],
          },
          h(
            "button",
            {
              type: "button",
              class: "chip-select",
              title: `${this.label(i, Infinity)}: edit this curve`,
              onclick: () => {
                this.state.selected = i;
                this.#showCurves();
                this.#showForm();
                this.#changed();
              },
            },
            h("span", { class: "swatch", style: `background:${this.color(i)}` }),
            this.label(i, Infinity), // wrapped: the whole name
          ),
          this.state.curves.length > 1
            ? h("button", {
              type: "button",
              class: "remove",
              title: `remove ${LETTERS[i]!.toUpperCase()}`,
              onclick: () => this.removeCurve(i),
            }, "×")
            : null,
        )
      ),
      this.state.curves.length < MAX_CURVES
        ? h("button", {
          type: "button",
          id: "add-curve",
          title: "add a curve: a copy of the one being edited, to change and compare",
          onclick: () => this.addCurve(),
        }, "+ curve")
        : null,
    );
  }

  /** Adds a copy of the selected curve and selects it. */
  addCurve(): void {
    const c = this.#selected;
    this.state.curves.push({ id: c.id, values: { ...c.values }, files: { ...c.files } });
    const i = this.state.curves.length - 1;
    this.#rebuild(i);
    this.state.selected = i;
    if (this.state.curves.length === 2) this.state.compare = [0, 1];
    this.#showCurves();
    this.#showForm();
    this.#redraw();
    this.#changed();
  }

  removeCurve(i: number): void {
    this.state.curves.splice(i, 1);
    this.built.splice(i, 1);
    const n = this.state.curves.length;
    this.state.selected = Math.min(this.state.selected, n - 1);
    this.state.compare = this.state.compare.map((k) => Math.min(k, n - 1)) as [number, number];
    this.#showCurves();
    this.#showForm();
    this.#redraw();
    this.#changed();
  }

  #toolbar(): void {
    const log = byId<HTMLInputElement>("log");
    log.addEventListener("change", () => {
      this.state.log = log.checked;
      this.#redraw();
      this.#changed();
    });
    const from = byId<HTMLInputElement>("range-from");
    const to = byId<HTMLInputElement>("range-to");
    const apply = () => {
      // An empty end is the curves' first or last row; `to` is inclusive; both are numbered as
      // the chart numbers rows (from the first curve's firstIndex).
      const last = this.range(true)[1] - 1;
      const off = this.offset();
      const a = from.value.trim() === "" ? 0 : Number(from.value) - off;
      const b = to.value.trim() === "" ? last : Number(to.value) - off;
      if (from.value.trim() === "" && to.value.trim() === "") return this.setRange(undefined, true);
      if (Number.isSafeInteger(a) && Number.isSafeInteger(b) && b > a && a >= 0) {
        this.setRange(a === 0 && b >= last ? undefined : [a, b + 1], true);
      } else this.#syncToolbar();
    };
    for (const el of [from, to]) {
      el.addEventListener("change", apply);
      el.addEventListener("keydown", (e) => e.key === "Enter" && apply());
    }
    byId("range-reset").addEventListener("click", () => this.setRange(undefined));
    byId("export-csv").addEventListener("click", () => {
      const i = this.state.selected;
      const csv = this.csv(i);
      if (csv !== undefined) download(`${this.fileName(i)}.csv`, csv, "text/csv");
    });
    byId("export-svg").addEventListener("click", () => {
      if (this.chart.svg) download("lrspec-chart.svg", this.chart.svg, "image/svg+xml");
    });
    byId("copy-link").addEventListener("click", async () => {
      await this.flushUrl();
      const note = byId("copy-note");
      try {
        await navigator.clipboard.writeText(location.href);
        note.textContent = "link copied";
      } catch {
        note.textContent = "the address bar holds the link";
      }
      setTimeout(() => (note.textContent = ""), 2500);
    });
    for (const tab of document.querySelectorAll<HTMLButtonElement>("#tabs button")) {
      tab.addEventListener("click", () => {
        this.state.tab = tab.dataset.tab as PageState["tab"];
        this.#showPanel();
        this.#changed();
      });
    }
    byId("version").textContent = `lrspec ${VERSION}`;
  }

  /**
   * The number the chart and the range box give row 0: the first curve's view's `firstIndex` (1
   * for the Trainer's `global_step`, as `lrspec curve` numbers it; 0 for most).
   */
  offset(): number {
    const scales = this.axis().scales;
    return this.built.find((b, i) => b.curve && scales[i] !== undefined)?.curve?.view
      .firstIndex ?? 0;
  }

  /** What the chart's x axis counts (`iteration`, `step`, `epoch`, `iteration / step`). */
  unit(): string {
    return this.axis().unit;
  }

  #syncToolbar(): void {
    byId<HTMLInputElement>("log").checked = this.state.log;
    const units = `${this.unit()}s`;
    byId("range-unit").textContent = units;
    byId("range-reset").title = `show every ${this.unit()} (or double-click the chart)`;
    byId("range-hint").textContent = units;
    const r = this.state.range;
    const [from, to] = this.range();
    const set = (id: string, text: string, placeholder: string) => {
      const el = byId<HTMLInputElement>(id);
      if (!this.#typed) el.value = text; // not what the user is typing

      el.placeholder = placeholder;
    };
    const off = this.offset();
    set("range-from", r ? String(from + off) : "", String(off));
    set("range-to", r ? String(to - 1 + off) : "", String(this.range(true)[1] - 1 + off));
  }

  /** A file name for curve `i`'s exports. */
  fileName(i: number): string {
    const c = this.state.curves[i]!;
    return `lrspec-${c.id.replace(/\//g, "-")}`;
  }

  /** Curve `i` as `lrspec curve` writes it; undefined when it has no curve. */
  csv(i: number): string | undefined {
    const curve = this.built[i]?.curve;
    return curve ? curveCsv(curve.view) : undefined;
  }

  #showPanel(): void {
    for (const tab of document.querySelectorAll<HTMLButtonElement>("#tabs button")) {
      tab.setAttribute("aria-selected", String(tab.dataset.tab === this.state.tab));
    }
    const panel = byId("panel");
    panel.dataset.tab = this.state.tab;
    if (this.state.tab === "compare") comparePanel(this, panel);
    else if (this.state.tab === "verify") verifyPanel(this, panel);
    else explainPanel(this, panel);
  }

  /** Redraws after a change made by a panel (a comparison's curves, the verify files). */
  changedByPanel(redrawPanel = true): void {
    if (redrawPanel) this.#showPanel();
    this.#changed();
  }

  /** Remembers the state in the URL (debounced). */
  #changed(): void {
    this.#dirty = true;
    clearTimeout(this.#urlTimer);
    this.#urlTimer = setTimeout(() => void this.flushUrl(), 250);
  }

  /** Writes the state to the URL now. */
  flushUrl(): Promise<void> {
    clearTimeout(this.#urlTimer);
    if (!this.#dirty) return this.#urlPending ?? Promise.resolve();
    this.#dirty = false;
    const initial = (id: string, name: string) =>
      this.defs.get(id)?.fields.find((f) => f.name === name)?.example;
    this.#urlPending = encodeState(this.state, initial).then((q) => {
      let query = q;
      if (query.length > 1_900_000) {
        // Too long for a link: leave the verify files out of it.
        const { golden: _g, candidate: _c, ...rest } = this.state.verify;
        return encodeState({ ...this.state, verify: rest }, initial).then(async (short) => {
          query = short;
          if (query.length > 1_900_000) {
            // Still too long (an uploaded folder of configs): leave the uploaded files out too.
            const curves = this.state.curves.map((c) => ({ ...c, files: {} }));
            query = await encodeState({ ...this.state, verify: rest, curves }, initial);
          }
          history.replaceState(null, "", `${location.pathname}?${query}`);
        });
      }
      history.replaceState(null, "", `${location.pathname}?${query}`);
    });
    return this.#urlPending;
  }
}

/** A schedule's fields' initial texts (their examples). */
export function initialTexts(def: ScheduleDef): Record<string, string> {
  return Object.fromEntries(
    def.fields.filter((f) => f.control !== "files").map((f) => [f.name, f.example ?? ""]),
  );
}

/** What the browser tests read (`window.lrspecPlayground`). */
export interface PlaygroundApi {
  /** The app. */
  app: App;
  /** Curve `letter`'s CSV (the selected curve's by default), as "Export CSV" saves it. */
  csv(letter?: string): string | undefined;
  /** The SVG of the chart, as "Export SVG" saves it. */
  svg(): string;
  /** The chart's plot area and axes. */
  frame(): PlotFrame | undefined;
  /** The library itself (`mod.ts`), as bundled: what the tests call directly to check a form. */
  lib: typeof lrspec;
  /** The library's libm seam (`schedules/math.ts`): the tests record this engine's cos/pow. */
  libm: typeof libm;
  /** Milliseconds each update took. */
  updates: number[];
  /** Writes the URL now; resolves to it. */
  url(): Promise<string>;
}

async function start(): Promise<void> {
  const schema = JSON.parse(byId("lrspec-schema").textContent ?? "{}") as SiteSchema;
  const defs = siteSchedules(schema);
  const fallback = defaultState(DEFAULT_SCHEDULE, initialTexts(defs.get(DEFAULT_SCHEDULE)!));
  const state = await decodeState(location.search, fallback, (id) => {
    const def = defs.get(id);
    return def ? initialTexts(def) : undefined;
  });
  const app = new App(schema, state);
  const api: PlaygroundApi = {
    app,
    csv: (letter) => app.csv(letter ? LETTERS.indexOf(letter.toLowerCase()) : app.state.selected),
    svg: () => app.chart.svg,
    frame: () => app.chart.frame,
    lib: lrspec,
    libm,
    updates: app.updates,
    url: async () => {
      await app.flushUrl();
      return location.href;
    },
  };
  (globalThis as unknown as { lrspecPlayground: PlaygroundApi }).lrspecPlayground = api;
  document.body.dataset.ready = "true";
}

if (typeof document !== "undefined") {
  void start().catch((e) => {
    const box = document.getElementById("chart");
    if (box) box.textContent = `The page failed to start: ${e instanceof Error ? e.message : e}`;
    throw e;
  });
}
