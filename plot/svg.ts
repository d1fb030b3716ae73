/**
 * Learning-rate curves as SVG charts: pure string generation, no DOM, no dependencies.
 *
 * @module
 */

/** A vertical marker on a chart: a warmup end, a step. */
export interface PlotMark {
  /** Where, in x units. */
  x: number;
  /** A short label (`"warmup 1000"`, `"×0.1 60k"`). */
  label: string;
}

/** One curve of a chart. */
export interface PlotSeries {
  /** The legend entry. */
  label: string;
  /** x values (iterations), ascending. */
  x: ArrayLike<number>;
  /** y values (learning rates); `NaN` leaves a gap. */
  y: ArrayLike<number>;
  /**
   * Vertical markers drawn in the series' color.
   * @default {[]}
   */
  marks?: readonly PlotMark[];
  /**
   * The line color (any SVG color).
   * @default {a color from a fixed palette, by position}
   */
  color?: string;
  /**
   * An SVG `stroke-dasharray` (`"6 3"`).
   * @default {undefined}
   */
  dash?: string;
  /**
   * An SVG `stroke-dashoffset`, to interleave the dashes of curves drawn on top of each other.
   * @default {0}
   */
  dashOffset?: number;
}

/** A small second chart inside the first: a zoom on part of the x axis (a short warmup). */
export interface PlotInset {
  /** Its caption (`warmup, iterations 0–1250`). */
  title: string;
  /** The curves over the zoomed range, in the same order (and colors) as the main series. */
  series: readonly PlotSeries[];
}

/** Options of {@linkcode plotSvg}. */
export interface PlotOptions {
  /**
   * The chart's title.
   * @default {""}
   */
  title?: string;
  /**
   * A smaller line under the title.
   * @default {""}
   */
  subtitle?: string;
  /**
   * The x axis label.
   * @default {"iteration"}
   */
  xLabel?: string;
  /**
   * The y axis label.
   * @default {"learning rate"}
   */
  yLabel?: string;
  /**
   * A logarithmic y axis (values ≤ 0 are left out).
   * @default {false}
   */
  logY?: boolean;
  /**
   * Width in pixels.
   * @default {800}
   */
  width?: number;
  /**
   * Height in pixels.
   * @default {450}
   */
  height?: number;
  /**
   * A zoom drawn in a corner of the chart where the curves leave room.
   * @default {undefined}
   */
  inset?: PlotInset;
  /**
   * Receives the plot area and its axes' ranges, to map a pointer position on the drawn chart
   * back to an iteration and a value (an interactive page's hover read-out).
   * @default {undefined}
   */
  onFrame?: (frame: PlotFrame) => void;
}

/**
 * Where {@linkcode plotSvg} drew the plot area, in the SVG's pixels, and the axes' ranges: x
 * value `x` is at `left + (x − xMin) / (xMax − xMin) · width`; y value `y` (its `log10` on a log
 * axis) at `top + height − (y − yMin) / (yMax − yMin) · height`.
 */
export interface PlotFrame {
  /** The plot area's left edge. */
  left: number;
  /** Its top edge. */
  top: number;
  /** Its width. */
  width: number;
  /** Its height. */
  height: number;
  /** The x value at the left edge. */
  xMin: number;
  /** The x value at the right edge. */
  xMax: number;
  /** The y value (its `log10` when `logY`) at the bottom edge. */
  yMin: number;
  /** The y value (its `log10` when `logY`) at the top edge. */
  yMax: number;
  /** Whether the y axis is logarithmic. */
  logY: boolean;
}

/** The palette series take their colors from, in order. */
export const PLOT_COLORS: readonly string[] = Object.freeze([
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
]);

const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/** Cuts text to about `width` pixels at `charWidth` per character. */
function fit(text: string, width: number, charWidth: number): string {
  const max = Math.floor(width / charWidth);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function r2(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** 1, 2 or 5 times a power of ten, giving about `count` intervals over [lo, hi]. */
function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  }
  return ticks;
}

const trimZeros = (s: string) => (s.includes(".") ? s.replace(/\.?0+$/, "") : s);

/**
 * Compact axis numbers, exact for the round numbers ticks fall on: 5500 → "5.5k", 90000 → "90k",
 * 1.2e6 → "1.2M", 1e9 → "1e9", 0.0025 → "0.0025", 2e-5 → "2e-5" (4 significant digits at most).
 *
 * @param x A number.
 * @returns The label.
 *
 * @example
 * ```ts
 * import { formatTick } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([6000, 5500, 1.2e6, 1e9, 0.02].map(formatTick), ["6k", "5.5k", "1.2M", "1e9", "0.02"]);
 * ```
 */
export function formatTick(x: number): string {
  if (x === 0) return "0";
  const abs = Math.abs(x);
  const digits = (m: number) => String(Number(m.toPrecision(4)));
  if (abs >= 1e9) {
    const e = Math.floor(Math.log10(abs) + 1e-12);
    return `${digits(x / 10 ** e)}e${e}`;
  }
  if (abs >= 1e6) return `${digits(x / 1e6)}M`;
  if (abs >= 1e3) return `${digits(x / 1e3)}k`;
  if (abs >= 1e-3) return trimZeros(x.toFixed(Math.max(0, 3 - Math.floor(Math.log10(abs)))));
  const [m, e] = x.toExponential().split("e") as [string, string];
  return `${trimZeros(Number(m).toFixed(2))}e${Number(e)}`;
}

/**
 * An iteration for a label, exactly: compact when that is exact in at most 4 significant digits
 * (60000 → "60k", 5500 → "5.5k", 1e9 → "1e9"), else with thousands separators
 * (6666657 → "6,666,657").
 *
 * @param n A non-negative integer.
 * @returns The label.
 *
 * @example
 * ```ts
 * import { formatIteration } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([500, 5500, 210000, 6666657].map(formatIteration), ["500", "5.5k", "210k", "6,666,657"]);
 * ```
 */
export function formatIteration(n: number): string {
  if (Math.abs(n) < 1000 || !Number.isSafeInteger(n)) return String(n);
  const compact = formatTick(n);
  const m = /^(-?[\d.]+)(?:(k|M)|e(\d+))$/.exec(compact);
  if (m) {
    const unit = m[2] === "k" ? 1e3 : m[2] === "M" ? 1e6 : 10 ** Number(m[3] ?? 0);
    if (Math.round(Number(m[1]) * unit) === n) return compact;
  }
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}

/** Per pixel column: first, min, max and last point, then collinear points dropped. */
function decimate(points: [number, number][]): [number, number][] {
  const cols: [number, number][] = [];
  let i = 0;
  while (i < points.length) {
    const col = Math.floor(points[i]![0]);
    const first = points[i]!;
    let last = first, min = first, max = first;
    while (i < points.length && Math.floor(points[i]![0]) === col) {
      const p = points[i]!;
      if (p[1] < min[1]) min = p;
      if (p[1] > max[1]) max = p;
      last = p;
      i++;
    }
    const ordered = [first, min, max, last].sort((a, b) => a[0] - b[0]);
    for (const p of ordered) {
      const prev = cols[cols.length - 1];
      if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) cols.push(p);
    }
  }
  return simplify(cols, 0.25);
}

/** Ramer–Douglas–Peucker: the fewest points within `epsilon` pixels of the polyline. */
function simplify(points: [number, number][], epsilon: number): [number, number][] {
  if (points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [i, j] = stack.pop()!;
    const [ax, ay] = points[i]!, [bx, by] = points[j]!;
    const dx = bx - ax, dy = by - ay;
    const len = Math.hypot(dx, dy);
    let worst = -1, far = 0;
    for (let k = i + 1; k < j; k++) {
      const [px, py] = points[k]!;
      const d = len === 0
        ? Math.hypot(px - ax, py - ay)
        : Math.abs(dx * (ay - py) - dy * (ax - px)) / len;
      if (d > far) {
        far = d;
        worst = k;
      }
    }
    if (worst >= 0 && far > epsilon) {
      keep[worst] = 1;
      stack.push([i, worst], [worst, j]);
    }
  }
  return points.filter((_, k) => keep[k]);
}

/**
 * Draws learning-rate curves as an SVG chart: axes with ticks, one line per series, the series'
 * marks (warmup end, steps) as dashed vertical lines with labels, and a legend.
 *
 * @param series The curves.
 * @param options Title, axis labels, log scale, size.
 * @returns A standalone SVG document.
 * @throws {RangeError} If there is no series, or a series' `x` and `y` differ in length.
 *
 * @example
 * ```ts
 * import { plotSvg } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const svg = plotSvg([{ label: "1x", x: [0, 60000, 60001, 90000], y: [0.02, 0.02, 0.002, 0.002] }], {
 *   title: "faster_rcnn_R_50_FPN_1x",
 * });
 * assert.ok(svg.startsWith("<svg") && svg.includes("faster_rcnn_R_50_FPN_1x"));
 * ```
 */
export function plotSvg(input: readonly PlotSeries[], options: PlotOptions = {}): string {
  if (input.length === 0) throw new RangeError("plotSvg: no series to draw");
  input.forEach((s, i) => {
    if (s.x.length !== s.y.length) {
      throw new RangeError(
        `plotSvg: series ${i} (${s.label}) has ${s.x.length} x values and ${s.y.length} y values`,
      );
    }
  });
  const width = options.width ?? 800;
  const height = options.height ?? 450;
  const logY = options.logY ?? false;
  const left = 78, right = 24;
  const plotW = width - left - right;
  const title = fit(options.title ?? "", plotW + right, 10);
  const subtitle = fit(options.subtitle ?? "", plotW + right, 6.4);
  const colorOf = (s: PlotSeries, i: number) => s.color ?? PLOT_COLORS[i % PLOT_COLORS.length]!;

  // Extents.
  let xMin = Infinity, xMax = -Infinity, yMax = -Infinity, yMinPos = Infinity;
  for (const s of input) {
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!, y = s.y[i]!;
      if (!Number.isFinite(y)) continue;
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
      yMax = Math.max(yMax, y);
      if (y > 0) yMinPos = Math.min(yMinPos, y);
    }
  }
  if (!Number.isFinite(xMin)) {
    xMin = 0;
    xMax = 1;
  }
  if (xMax === xMin) xMax = xMin + 1;
  if (!(yMax > 0)) yMax = 1;
  if (!Number.isFinite(yMinPos)) yMinPos = yMax / 10;
  const xTicks = niceTicks(xMin, xMax, Math.max(2, Math.floor(plotW / 110)));
  const xHi = Math.max(xMax, xTicks[xTicks.length - 1]!);
  const xLo = Math.min(xMin, xTicks[0]!);
  const px = (x: number) => left + ((x - xLo) / (xHi - xLo)) * plotW;
  const yLogLo = Math.log10(yMinPos);
  const series = distinguish(
    input,
    px,
    logY ? (y) => (Math.log10(y) - yLogLo) / (Math.log10(yMax) - yLogLo || 1) : (y) => y / yMax,
  );

  // Marks (merged when several series share one), their labels in rows above the plot. Kept in
  // parallel arrays, not an object per mark: 10⁶ milestones are 10⁶ marks.
  const ex: number[] = [], el: string[] = [], ec: string[] = [];
  series.forEach((s, i) => {
    for (const m of s.marks ?? []) {
      if (!(m.x >= xLo && m.x <= xHi)) continue;
      ex.push(m.x);
      el.push(m.label);
      ec.push(colorOf(s, i));
    }
  });
  // By x, then in the order they came; the same x and label once, coloured by every series
  // that has it (grey when several do).
  let sorted = true;
  for (let k = 1; k < ex.length && sorted; k++) sorted = ex[k - 1]! <= ex[k]!;
  const order = sorted ? null : Array.from(ex.keys()).sort((a, b) => ex[a]! - ex[b]! || a - b);
  const markX: number[] = [], markLabel: string[] = [], markColor: string[] = [];
  for (let k = 0; k < ex.length;) {
    // The entries at one x: [k, g).
    const x = ex[order ? order[k]! : k]!;
    let g = k + 1;
    while (g < ex.length && ex[order ? order[g]! : g] === x) g++;
    if (g === k + 1) {
      const e = order ? order[k]! : k;
      markX.push(x), markLabel.push(el[e]!), markColor.push(ec[e]!);
    } else {
      const byLabel = new Map<string, Set<string>>();
      for (let q = k; q < g; q++) {
        const e = order ? order[q]! : q;
        const colors = byLabel.get(el[e]!) ?? new Set<string>();
        colors.add(ec[e]!);
        byLabel.set(el[e]!, colors);
      }
      for (const [label, colors] of byLabel) {
        markX.push(x), markLabel.push(label);
        markColor.push(colors.size === 1 ? [...colors][0]! : "#666");
      }
    }
    k = g;
  }
  const markCount = markX.length;
  const markRow = new Int8Array(markCount).fill(-1);
  const markEnd = new Uint8Array(markCount); // 1: the label ends at its line (left of it)
  // Each label goes right of its line (or left, near the right edge) in the first row where it
  // does not overlap the previous label; up to four rows.
  const rowEnds: number[] = [];
  for (let k = 0; k < markCount; k++) {
    const x = px(markX[k]!);
    const w = markLabel[k]!.length * 5.4 + 4;
    const right = x + 3 + w <= width - 2, left = x - 3 - w >= 2;
    let row = 0;
    for (; row < rowEnds.length; row++) {
      const end = rowEnds[row]!;
      if (right && end < x - 1) {
        rowEnds[row] = x + 3 + w;
        break;
      }
      if (left && end < x - 3 - w) {
        rowEnds[row] = x + 1;
        markEnd[k] = 1;
        break;
      }
    }
    if (row === rowEnds.length) {
      if (row === 4 || !(right || left)) continue;
      rowEnds.push(right ? x + 3 + w : x + 1);
      markEnd[k] = right ? 0 : 1;
    }
    markRow[k] = row;
  }
  const header = 14 + (title ? 22 : 0) + (subtitle ? 18 : 0);
  const top = header + rowEnds.length * 13 + 10;

  // Legend rows below the x axis label.
  const items = series.map((s, i) => {
    const text = fit(s.label, plotW + right - 36, 7);
    return { s, i, text, w: 36 + text.length * 7 + 16 };
  });
  const legendRows: (typeof items)[] = [[]];
  let used = 0;
  for (const item of items) {
    if (used > 0 && used + item.w > plotW) {
      legendRows.push([]);
      used = 0;
    }
    legendRows[legendRows.length - 1]!.push(item);
    used += item.w;
  }
  const bottom = 50 + legendRows.length * 18 + 6;
  const plotH = Math.max(40, height - top - bottom);

  let yLo: number, yHi: number, yTicks: number[];
  const minor: number[] = [];
  if (logY) {
    yLo = Math.floor(Math.log10(yMinPos) + 1e-9);
    yHi = Math.ceil(Math.log10(yMax) - 1e-9);
    if (yHi === yLo) yHi++;
    yTicks = [];
    for (let e = yLo; e <= yHi; e++) yTicks.push(e);
    for (let e = yLo; e < yHi; e++) for (let m = 2; m <= 9; m++) minor.push(e + Math.log10(m));
  } else {
    yTicks = niceTicks(0, yMax * 1.05, Math.max(2, Math.floor(plotH / 60)));
    yLo = 0;
    yHi = Math.max(yMax * 1.05, yTicks[yTicks.length - 1]!);
  }
  const py = (y: number) => {
    const v = logY ? Math.log10(y) : y;
    return top + plotH - ((v - yLo) / (yHi - yLo)) * plotH;
  };
  options.onFrame?.({
    left,
    top,
    width: plotW,
    height: plotH,
    xMin: xLo,
    xMax: xHi,
    yMin: yLo,
    yMax: yHi,
    logY,
  });

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  if (title) {
    out.push(
      `<text x="${left}" y="30" font-size="16" font-weight="600" fill="#111">${esc(title)}</text>`,
    );
  }
  if (subtitle) {
    out.push(
      `<text x="${left}" y="${title ? 50 : 30}" font-size="12" fill="#555">${esc(subtitle)}</text>`,
    );
  }
  // Grid.
  out.push(`<g class="grid" stroke="#e8e8e8" stroke-width="1">`);
  for (const m of minor) {
    const y = r2(py(10 ** m));
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#f3f3f3"/>`);
  }
  for (const t of yTicks) {
    const y = r2(logY ? py(10 ** t) : py(t));
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}"/>`);
  }
  for (const t of xTicks) {
    if (t < xLo || t > xHi) continue;
    out.push(`<line x1="${r2(px(t))}" x2="${r2(px(t))}" y1="${top}" y2="${top + plotH}"/>`);
  }
  out.push(`</g>`);
  // Ticks.
  out.push(`<g class="y-ticks" fill="#333" text-anchor="end">`);
  for (const t of yTicks) {
    const y = r2((logY ? py(10 ** t) : py(t)) + 4);
    if (logY) {
      const sup = t < 0 ? `\u2212${-t}` : String(t);
      out.push(
        `<text x="${left - 8}" y="${y}">10<tspan dy="-6" font-size="9">${sup}</tspan></text>`,
      );
    } else out.push(`<text x="${left - 8}" y="${y}">${esc(formatTick(t))}</text>`);
  }
  out.push(`</g>`);
  out.push(`<g class="x-ticks" fill="#333" text-anchor="middle">`);
  for (const t of xTicks) {
    if (t < xLo || t > xHi) continue;
    out.push(`<text x="${r2(px(t))}" y="${top + plotH + 18}">${esc(formatTick(t))}</text>`);
  }
  out.push(`</g>`);
  out.push(
    `<text x="${left + plotW / 2}" y="${top + plotH + 40}" text-anchor="middle" fill="#333">${
      esc(options.xLabel ?? "iteration")
    }</text>`,
  );
  out.push(
    `<text transform="translate(18 ${
      r2(top + plotH / 2)
    }) rotate(-90)" text-anchor="middle" fill="#333">${esc(options.yLabel ?? "learning rate")}${
      logY ? " (log scale)" : ""
    }</text>`,
  );
  // Marks: dashed lines over the plot, labels above it.
  out.push(`<g class="marks" font-size="10">`);
  // Unlabelled lines that fall on the same half pixel draw the same line: one is written (10⁶
  // milestones are at most two lines per pixel, not 10⁶ elements).
  const drawn = new Set<string>();
  for (let k = 0; k < markCount; k++) {
    const row = markRow[k]!, color = markColor[k]!;
    const x = r2(px(markX[k]!));
    const labelY = header + 10 + Math.max(0, row) * 13;
    const lineTop = row >= 0 ? labelY + 3 : top;
    if (row < 0) {
      const key = `${Math.round(px(markX[k]!) * 2)}|${color}`;
      if (drawn.has(key)) continue;
      drawn.add(key);
    }
    out.push(
      `<line x1="${x}" x2="${x}" y1="${lineTop}" y2="${
        top + plotH
      }" stroke="${color}" stroke-width="1" stroke-dasharray="4 3" opacity="0.75"/>`,
    );
    if (row >= 0) {
      const start = markEnd[k] === 0;
      const tx = start ? px(markX[k]!) + 3 : px(markX[k]!) - 3;
      out.push(
        `<text x="${r2(tx)}" y="${labelY}" fill="${color}" text-anchor="${
          start ? "start" : "end"
        }">${esc(markLabel[k]!)}</text>`,
      );
    }
  }
  out.push(`</g>`);
  // Curves.
  const strokeOf = (s: PlotSeries) =>
    (s.dash ? ` stroke-dasharray="${s.dash}"` : "") +
    (s.dashOffset ? ` stroke-dashoffset="${s.dashOffset}"` : "");
  const paths = series.map((s) => polylines(s, px, py, logY));
  out.push(`<g class="curves" fill="none" stroke-width="2" stroke-linejoin="round">`);
  series.forEach((s, i) => {
    for (const pts of paths[i]!) {
      out.push(
        `<path d="${pathData(pts)}" stroke="${colorOf(s, i)}"${strokeOf(s)}><title>${
          esc(s.label)
        }</title></path>`,
      );
    }
  });
  out.push(`</g>`);
  // An inset needs room: none on a narrow chart.
  if (options.inset && plotW * 0.34 >= 150) {
    out.push(
      ...drawInset(options.inset, {
        left,
        top,
        plotW,
        plotH,
        logY,
        colorOf,
        strokeOf,
        paths,
        markXs: markX.map(px),
      }),
    );
  }
  // Axes on top of the grid and curves' ends.
  out.push(
    `<path d="M${left} ${top}V${top + plotH}H${
      left + plotW
    }" fill="none" stroke="#333" stroke-width="1"/>`,
  );
  // Legend.
  out.push(`<g class="legend">`);
  legendRows.forEach((row, r) => {
    let x = left;
    const y = top + plotH + 62 + r * 18;
    for (const { s, i, w, text } of row) {
      out.push(
        `<line x1="${r2(x)}" x2="${r2(x + 28)}" y1="${y - 4}" y2="${y - 4}" stroke="${
          colorOf(s, i)
        }" stroke-width="2.5"${strokeOf(s)}/>`,
      );
      out.push(`<text x="${r2(x + 34)}" y="${y}" fill="#222">${esc(text)}</text>`);
      x += w;
    }
  });
  out.push(`</g>`);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

/** A series as pixel polylines (split at gaps), decimated per pixel column. */
function polylines(
  s: PlotSeries,
  px: (x: number) => number,
  py: (y: number) => number,
  logY: boolean,
): [number, number][][] {
  const segments: [number, number][][] = [[]];
  for (let k = 0; k < s.x.length; k++) {
    const y = s.y[k]!;
    if (!Number.isFinite(y) || (logY && y <= 0)) {
      if (segments[segments.length - 1]!.length) segments.push([]);
      continue;
    }
    segments[segments.length - 1]!.push([px(s.x[k]!), py(y)]);
  }
  return segments.filter((seg) => seg.length > 0).map(decimate);
}

function pathData(pts: [number, number][]): string {
  const d = pts.map((p, j) => `${j === 0 ? "M" : "L"}${r2(p[0])} ${r2(p[1])}`).join("");
  return pts.length === 1 ? `${d}h0.01` : d;
}

interface InsetFrame {
  left: number;
  top: number;
  plotW: number;
  plotH: number;
  logY: boolean;
  colorOf: (s: PlotSeries, i: number) => string;
  strokeOf: (s: PlotSeries) => string;
  paths: [number, number][][][];
  /** The x (pixels) of the marks' vertical lines. */
  markXs: number[];
}

/**
 * The inset: a framed chart of about a third of the plot's width and height, in the corner (or
 * middle of a side) that the main curves cross least.
 */
function drawInset(inset: PlotInset, f: InsetFrame): string[] {
  const w = Math.round(f.plotW * 0.34);
  const h = Math.round(f.plotH * 0.38);
  const margin = 10;
  // Where it may go: a grid of places, the top right first (curves decay, so it is often free).
  const xs = [f.left + f.plotW - w - margin, f.left + (f.plotW - w) / 2, f.left + 40];
  const ys = [f.top + margin, f.top + (f.plotH - h) / 2, f.top + f.plotH - h - margin];
  const candidates = xs.flatMap((x) => ys.map((y) => [x, y] as const));
  // How much of the curves (sampled every 2 px along each segment) and of the marks' lines
  // (at a third of the weight) a place would hide, with room for the caption.
  const hidden = (bx: number, by: number) => {
    const inside = (x: number, y: number) =>
      x >= bx - 4 && x <= bx + w + 4 && y >= by - 16 && y <= by + h + 4;
    let n = 0;
    for (const series of f.paths) {
      for (const pts of series) {
        for (let k = 0; k < pts.length; k++) {
          const [x0, y0] = pts[k]!;
          const [x1, y1] = pts[k + 1] ?? pts[k]!;
          const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 2));
          for (let t = 0; t <= steps; t++) {
            if (inside(x0 + ((x1 - x0) * t) / steps, y0 + ((y1 - y0) * t) / steps)) n++;
          }
        }
      }
    }
    for (const x of f.markXs) {
      if (x >= bx - 4 && x <= bx + w + 4) n += h / 6;
    }
    return n;
  };
  let best: readonly [number, number] = candidates[0]!;
  let fewest = Infinity;
  for (const c of candidates) {
    const n = hidden(c[0], c[1]);
    if (n < fewest) [best, fewest] = [c, n];
  }
  const [bx, by] = best;
  // The inset's own axes.
  let xMin = Infinity, xMax = -Infinity, yMax = -Infinity, yMinPos = Infinity;
  for (const s of inset.series) {
    for (let k = 0; k < s.x.length; k++) {
      const y = s.y[k]!;
      if (!Number.isFinite(y)) continue;
      xMin = Math.min(xMin, s.x[k]!);
      xMax = Math.max(xMax, s.x[k]!);
      yMax = Math.max(yMax, y);
      if (y > 0) yMinPos = Math.min(yMinPos, y);
    }
  }
  if (!(xMax > xMin)) xMax = xMin + 1;
  if (!(yMax > 0)) yMax = 1;
  if (!Number.isFinite(yMinPos)) yMinPos = yMax / 10;
  const pad = { l: 38, r: 16, t: 18, b: 16 };
  const iw = w - pad.l - pad.r, ih = h - pad.t - pad.b;
  const ix0 = bx + pad.l, iy0 = by + pad.t;
  const xTicks = niceTicks(xMin, xMax, 3);
  const yLo = f.logY ? Math.floor(Math.log10(yMinPos) + 1e-9) : 0;
  const yHi = f.logY ? Math.max(yLo + 1, Math.ceil(Math.log10(yMax) - 1e-9)) : yMax * 1.08;
  const px = (x: number) => ix0 + ((x - xMin) / (xMax - xMin)) * iw;
  const py = (y: number) => iy0 + ih - (((f.logY ? Math.log10(y) : y) - yLo) / (yHi - yLo)) * ih;
  const yTicks = f.logY
    ? Array.from({ length: yHi - yLo + 1 }, (_, k) => 10 ** (yLo + k))
    : niceTicks(0, yHi, 2);
  const out: string[] = [];
  out.push(`<g class="inset" font-size="9">`);
  out.push(
    `<rect x="${r2(bx)}" y="${
      r2(by)
    }" width="${w}" height="${h}" fill="#ffffff" stroke="#999" stroke-width="1"/>`,
  );
  out.push(
    `<text x="${r2(bx + 6)}" y="${r2(by + 12)}" font-size="10" fill="#333">${
      esc(inset.title)
    }</text>`,
  );
  for (const t of yTicks) {
    if (!(t >= (f.logY ? 10 ** yLo : 0) && t <= (f.logY ? 10 ** yHi : yHi))) continue;
    const y = r2(py(t));
    out.push(`<line x1="${ix0}" x2="${ix0 + iw}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    out.push(
      `<text x="${ix0 - 3}" y="${r2(py(t) + 3)}" text-anchor="end" fill="#555">${
        esc(formatTick(t))
      }</text>`,
    );
  }
  for (const t of xTicks) {
    if (t < xMin || t > xMax) continue;
    out.push(
      `<text x="${r2(px(t))}" y="${r2(iy0 + ih + 11)}" text-anchor="middle" fill="#555">${
        esc(formatTick(t))
      }</text>`,
    );
  }
  out.push(
    `<path d="M${ix0} ${iy0}V${iy0 + ih}H${ix0 + iw}" fill="none" stroke="#666" stroke-width="1"/>`,
  );
  out.push(`<g fill="none" stroke-width="1.5" stroke-linejoin="round">`);
  inset.series.forEach((s, i) => {
    for (const pts of polylines(s, px, py, f.logY)) {
      out.push(`<path d="${pathData(pts)}" stroke="${f.colorOf(s, i)}"${f.strokeOf(s)}/>`);
    }
  });
  out.push(`</g>`, `</g>`);
  return out;
}

/**
 * Curves that would be drawn on top of each other (the same points to half a pixel) get
 * interleaved dashes, so that each shows in its own color, and the later ones say so in the
 * legend ("coincides with …"). Series that already have a dash pattern are left as they are.
 */
function distinguish(
  series: readonly PlotSeries[],
  px: (x: number) => number,
  relative: (y: number) => number,
): PlotSeries[] {
  const out = series.map((s) => ({ ...s }));
  const groups = new Map<string, number[]>();
  out.forEach((s, i) => {
    if (s.dash !== undefined) return;
    const key: string[] = [];
    let last = "";
    for (let k = 0; k < s.x.length; k++) {
      const y = s.y[k]!;
      const p = Number.isFinite(y)
        ? `${Math.round(px(s.x[k]!) * 2)},${Math.round(relative(y) * 800)}`
        : "gap";
      if (p !== last) key.push(p);
      last = p;
    }
    const signature = key.join(" ");
    groups.set(signature, [...(groups.get(signature) ?? []), i]);
  });
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const dash = 8;
    members.forEach((i, k) => {
      const s = out[i]!;
      s.dash = `${dash} ${dash * (members.length - 1)}`;
      s.dashOffset = -dash * k;
      if (k > 0) s.label += ` (coincides with ${out[members[0]!]!.label})`;
    });
  }
  return out;
}
