/**
 * What the panels (`panels.ts`) use of the page (`App` in `main.ts`, which implements
 * {@linkcode PanelHost}): kept apart so that neither file imports the other.
 *
 * @module
 */

import type { CurvePoints } from "../../plot/envelope.ts";
import type { ValueReader } from "../curves.ts";
import type { ScheduleDef, SiteCurve } from "../families/mod.ts";
import type { PageState } from "../state.ts";
import type { SharedAxis } from "../../views/axis.ts";

/** A curve as built: the library's curve, or its error. */
export interface Built {
  /** The curve (undefined when the library rejected the options). */
  curve: SiteCurve | undefined;
  /** Why there is no curve. */
  error: { field: string | undefined; message: string } | undefined;
  /** Single values, for the hover read-out. */
  reader: ValueReader | undefined;
  /** Envelopes drawn, by column and range. */
  envelopes: Map<string, CurvePoints>;
}

/** The page as the panels see it. */
export interface PanelHost {
  /** Every schedule the page offers, by id. */
  readonly defs: Map<string, ScheduleDef>;
  /** The page's state (curves, options, tab, zoom). */
  state: PageState;
  /** Each curve as built. */
  built: Built[];
  /** Adds a curve (a copy of the selected one). */
  addCurve(): void;
  /** Redraws after a panel changed the state. */
  changedByPanel(redrawPanel?: boolean): void;
  /** Curve `i` as `lrspec curve` writes it. */
  csv(i: number): string | undefined;
  /** Curve `i`'s file name for downloads. */
  fileName(i: number): string;
  /** Curve `i`'s legend entry. */
  label(i: number): string;
  /** The x axis the chart's curves share (their count, or epochs; some may be left off). */
  axis(): SharedAxis;
  /** The x range drawn. */
  range(all?: boolean): [number, number];
  /** Sets the x range drawn. */
  setRange(range: [number, number] | undefined, typed?: boolean): void;
}
