/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * A chart on the page: the project's SVG renderer (`plot/svg.ts`, the chart `lrspec plot`
 * draws), with a hover read-out of the iteration and the exact value of each curve, and
 * drag-to-zoom (browser only).
 *
 * @module
 */

import { type PlotFrame, type PlotOptions, type PlotSeries, plotSvg } from "../../plot/svg.ts";
import { pyFloatRepr } from "../../config/python.ts";
import { h } from "./dom.ts";

/** A curve the hover read-out reads. */
export interface HoverSource {
  /** The legend's name for it (`A`, `golden`). */
  label: string;
  /** Its color. */
  color: string;
  /** Its value at an x (NaN: none). */
  at(x: number): number;
}

/** What a chart draws. */
export interface ChartContent {
  /** The series. */
  series: PlotSeries[];
  /** plotSvg's options (width and height are the chart's). */
  options: PlotOptions;
  /** What the hover read-out shows. */
  hover: HoverSource[];
  /** The x values the read-out snaps to: integers (iterations) or any (a CSV's `where`). */
  integerX: boolean;
  /** What x is called in the read-out (`iteration`). */
  xName: string;
}

/** An interactive chart in a container element. */
export class Chart {
  readonly #box: HTMLElement;
  readonly #plot: HTMLElement;
  readonly #line: HTMLElement;
  readonly #readout: HTMLElement;
  readonly #brush: HTMLElement;
  #frame: PlotFrame | undefined;
  #content: ChartContent | undefined;
  #svg = "";
  #drag: { x0: number } | undefined;
  /** Called with `[from, to]` (x values, inclusive) when a range is dragged. */
  onZoom: ((from: number, to: number) => void) | undefined;
  /** Called on a double click (reset the zoom). */
  onReset: (() => void) | undefined;

  /** @param box The container (its width sets the chart's). */
  constructor(box: HTMLElement) {
    this.#box = box;
    box.classList.add("chart");
    this.#plot = h("div", { class: "plot" });
    this.#line = h("div", { class: "hover-line", hidden: true });
    this.#readout = h("div", { class: "readout", hidden: true, role: "status" });
    this.#brush = h("div", { class: "brush", hidden: true });
    box.replaceChildren(this.#plot, this.#line, this.#brush, this.#readout);
    box.addEventListener("mousemove", (e) => this.#move(e));
    box.addEventListener("mouseleave", () => this.#hide());
    box.addEventListener("mousedown", (e) => this.#down(e));
    globalThis.addEventListener("mouseup", (e) => this.#up(e));
    box.addEventListener("dblclick", () => this.onReset?.());
  }

  /** Where the plot area is in the SVG, and its axes (undefined before a chart is drawn). */
  get frame(): PlotFrame | undefined {
    return this.#frame;
  }

  /** The SVG last drawn (what "Export SVG" saves). */
  get svg(): string {
    return this.#svg;
  }

  /** The width the chart draws at. */
  get width(): number {
    return Math.max(360, Math.floor(this.#box.clientWidth || 800));
  }

  /**
   * Draws the content.
   *
   * @param content The series, options and hover sources.
   * @param height The height in pixels.
   */
  draw(content: ChartContent, height: number): void {
    this.#content = content;
    this.#svg = plotSvg(content.series, {
      ...content.options,
      width: this.width,
      height,
      onFrame: (f) => (this.#frame = f),
    });
    this.#plot.innerHTML = this.#svg;
    this.#hide();
  }

  /** Shows a message instead of a chart. */
  message(text: string): void {
    this.#content = undefined;
    this.#frame = undefined;
    this.#svg = "";
    this.#plot.replaceChildren(h("p", { class: "chart-message" }, text));
    this.#hide();
  }

  /** The x value under a client x position, and the pixel x it snaps to. */
  #xAt(clientX: number): { x: number; px: number } | undefined {
    const f = this.#frame;
    const svg = this.#plot.querySelector("svg");
    if (!f || !svg || !this.#content) return undefined;
    const left = svg.getBoundingClientRect().left;
    const px = clientX - left;
    if (px < f.left - 4 || px > f.left + f.width + 4) return undefined;
    let x = f.xMin + ((px - f.left) / f.width) * (f.xMax - f.xMin);
    if (this.#content.integerX) x = Math.round(x);
    return { x, px: f.left + ((x - f.xMin) / (f.xMax - f.xMin)) * f.width };
  }

  #hide(): void {
    this.#line.hidden = true;
    this.#readout.hidden = true;
  }

  #move(e: MouseEvent): void {
    const at = this.#xAt(e.clientX);
    const f = this.#frame;
    const content = this.#content;
    if (this.#drag && at) {
      const a = Math.min(this.#drag.x0, at.px), b = Math.max(this.#drag.x0, at.px);
      Object.assign(this.#brush.style, {
        left: `${a}px`,
        width: `${b - a}px`,
        top: `${f!.top}px`,
        height: `${f!.height}px`,
      });
      this.#brush.hidden = b - a < 3;
    }
    if (!at || !f || !content) return this.#hide();
    const rows = content.hover.map((s) => ({ s, v: s.at(at.x) }));
    this.#line.hidden = false;
    Object.assign(this.#line.style, {
      left: `${at.px}px`,
      top: `${f.top}px`,
      height: `${f.height}px`,
    });
    const dots = rows.filter(({ v }) => Number.isFinite(v) && (!f.logY || v > 0)).map(
      ({ s, v }) => {
        const u = f.logY ? Math.log10(v) : v;
        const y = f.height - ((u - f.yMin) / (f.yMax - f.yMin)) * f.height; // within the line
        return h("span", { class: "dot", style: `top:${y}px;background:${s.color}` });
      },
    );
    this.#line.replaceChildren(...dots);
    this.#readout.replaceChildren(
      h(
        "div",
        { class: "readout-x" },
        `${content.xName} `,
        h("b", {}, pyFloatRepr(at.x).replace(/\.0$/, "")),
      ),
      ...rows.map(({ s, v }) =>
        h(
          "div",
          { class: "readout-row" },
          h("span", { class: "swatch", style: `background:${s.color}` }),
          `${s.label} `,
          h("code", {}, Number.isNaN(v) ? "—" : pyFloatRepr(v)),
        )
      ),
    );
    this.#readout.hidden = false;
    const w = this.#box.clientWidth;
    const right = at.px > w * 0.6;
    Object.assign(this.#readout.style, {
      left: right ? "" : `${at.px + 12}px`,
      right: right ? `${w - at.px + 12}px` : "",
      top: `${f.top + 4}px`,
    });
  }

  #down(e: MouseEvent): void {
    if (e.button !== 0) return;
    const at = this.#xAt(e.clientX);
    if (!at) return;
    e.preventDefault();
    this.#drag = { x0: at.px };
  }

  #up(e: MouseEvent): void {
    const drag = this.#drag;
    this.#drag = undefined;
    this.#brush.hidden = true;
    if (!drag) return;
    const f = this.#frame;
    const at = this.#xAt(e.clientX) ??
      (f
        ? {
          px: Math.min(
            Math.max(e.clientX - this.#plot.getBoundingClientRect().left, f.left),
            f.left + f.width,
          ),
          x: 0,
        }
        : undefined);
    if (!at || !f || Math.abs(at.px - drag.x0) < 6) return;
    const toX = (px: number) => f.xMin + ((px - f.left) / f.width) * (f.xMax - f.xMin);
    const a = toX(Math.min(drag.x0, at.px)), b = toX(Math.max(drag.x0, at.px));
    this.onZoom?.(a, b);
  }
}
