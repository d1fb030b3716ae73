/**
 * The page's whole state, and its URL: a link reproduces the view — every curve with its
 * schedule, fields and uploaded files, the zoom, the scale, the open panel, the comparison and
 * the verify files. Long texts (a YAML config, a CSV) are deflated into the URL.
 *
 * Pure: no DOM (`CompressionStream` is in every runtime and browser).
 *
 * @module
 */

/** One curve: a schedule, its fields' texts, its uploaded files. */
export interface CurveState {
  /** The schedule (`torch/StepLR`). */
  id: string;
  /** Field name → text (every field: the form's current texts). */
  values: Record<string, string>;
  /** Uploaded file name → text. */
  files: Record<string, string>;
}

/** A CSV dropped on the verify panel. */
export interface CsvFile {
  /** Its name. */
  name: string;
  /** Its text. */
  text: string;
}

/** The page's state. */
export interface PageState {
  /** The curves, drawn in order (A, B, C, …). */
  curves: CurveState[];
  /** The curve whose form is open. */
  selected: number;
  /** A logarithmic y axis. */
  log: boolean;
  /** The iterations shown, `[from, to)`; the whole curves when undefined. */
  range: [number, number] | undefined;
  /** The panel under the chart. */
  tab: "explain" | "compare" | "verify";
  /** The two curves compared. */
  compare: [number, number];
  /** What the comparison plots. */
  diff: "difference" | "ulp";
  /** The verify panel's files and tolerance. */
  verify: { golden?: CsvFile; candidate?: CsvFile; maxUlp: string };
}

/** The letters that name curves (A, B, …). */
export const LETTERS = "abcdefgh";

/** A field's initial text: its example, else empty. */
export type InitialText = (id: string, field: string) => string | undefined;

/** The state of a page opened with no query. */
export function defaultState(id: string, initial: Record<string, string>): PageState {
  return {
    curves: [{ id, values: { ...initial }, files: {} }],
    selected: 0,
    log: false,
    range: undefined,
    tab: "explain",
    compare: [0, 1],
    diff: "difference",
    verify: { maxUlp: "0" },
  };
}

const DEFLATE_OVER = 1200;

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function unbase64url(text: string): Uint8Array {
  const b = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream) {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** A text for the URL: as it is when short, else `~` and its deflated bytes in base64url. */
export async function packText(text: string): Promise<string> {
  if (text.length <= DEFLATE_OVER && !text.startsWith("~")) return text;
  const bytes = await pipe(new TextEncoder().encode(text), new CompressionStream("deflate-raw"));
  return `~${base64url(bytes)}`;
}

/** The inverse of {@linkcode packText}. */
export async function unpackText(text: string): Promise<string> {
  if (!text.startsWith("~")) return text;
  const bytes = await pipe(unbase64url(text.slice(1)), new DecompressionStream("deflate-raw"));
  return new TextDecoder().decode(bytes);
}

/**
 * The state as a query string. A curve is `a=<schedule>`, its fields `a.<field>=<text>` (only
 * those whose text is not the field's initial text), its files `a@<name>=<text>`; then `sel`,
 * `log`, `range=from:to`, `tab`, `cmp=a,b`, `diff`, and the verify files `golden`/`candidate`
 * (`name` then `name.csv` with the text), `maxulp`.
 *
 * @param state The state.
 * @param initial A field's initial text.
 * @returns The query, without `?` (empty for the default view).
 */
export async function encodeState(state: PageState, initial: InitialText): Promise<string> {
  const q = new URLSearchParams();
  for (const [k, c] of state.curves.entries()) {
    const letter = LETTERS[k]!;
    q.append(letter, c.id);
    for (const [name, text] of Object.entries(c.values)) {
      if (text !== (initial(c.id, name) ?? "")) q.append(`${letter}.${name}`, await packText(text));
    }
    for (const [name, text] of Object.entries(c.files)) {
      q.append(`${letter}@${name}`, await packText(text));
    }
  }
  if (state.selected !== 0) q.append("sel", LETTERS[state.selected] ?? "a");
  if (state.log) q.append("log", "1");
  if (state.range) q.append("range", `${state.range[0]}:${state.range[1]}`);
  if (state.tab !== "explain") q.append("tab", state.tab);
  if (state.compare[0] !== 0 || state.compare[1] !== 1) {
    q.append("cmp", state.compare.map((i) => LETTERS[i]).join(","));
  }
  if (state.diff !== "difference") q.append("diff", state.diff);
  for (const which of ["golden", "candidate"] as const) {
    const f = state.verify[which];
    if (f) {
      q.append(which, f.name);
      q.append(`${which}.csv`, await packText(f.text));
    }
  }
  if (state.verify.maxUlp !== "0") q.append("maxulp", state.verify.maxUlp);
  return q.toString();
}

/**
 * The state a query string describes; what it does not say is the default view's.
 *
 * @param query The query (with or without `?`).
 * @param fallback The default view's state.
 * @param initial The initial texts of a schedule's fields (for fields the query leaves out).
 * @returns The state; unknown parameters are ignored.
 */
export async function decodeState(
  query: string,
  fallback: PageState,
  initial: (id: string) => Record<string, string> | undefined,
): Promise<PageState> {
  const q = new URLSearchParams(query.replace(/^\?/, ""));
  const curves: CurveState[] = [];
  for (const letter of LETTERS) {
    const id = q.get(letter);
    if (id === null) break;
    const start = initial(id);
    if (start === undefined) continue; // a schedule this build does not have
    const c: CurveState = { id, values: { ...start }, files: {} };
    for (const [key, value] of q) {
      if (key.startsWith(`${letter}.`)) c.values[key.slice(2)] = await unpackText(value);
      else if (key.startsWith(`${letter}@`)) c.files[key.slice(2)] = await unpackText(value);
    }
    curves.push(c);
  }
  const index = (letter: string | null | undefined, dflt: number) => {
    const i = letter ? LETTERS.indexOf(letter) : -1;
    return i >= 0 && i < Math.max(curves.length, 1) ? i : dflt;
  };
  const state: PageState = {
    ...fallback,
    curves: curves.length ? curves : fallback.curves,
    verify: { ...fallback.verify },
  };
  state.selected = index(q.get("sel"), 0);
  state.log = q.get("log") === "1";
  const range = /^(\d+):(\d+)$/.exec(q.get("range") ?? "");
  if (range && Number(range[2]) > Number(range[1])) {
    state.range = [Number(range[1]), Number(range[2])];
  }
  const tab = q.get("tab");
  if (tab === "compare" || tab === "verify") state.tab = tab;
  const cmp = (q.get("cmp") ?? "").split(",");
  if (cmp.length === 2) state.compare = [index(cmp[0], 0), index(cmp[1], 1)];
  if (q.get("diff") === "ulp") state.diff = "ulp";
  for (const which of ["golden", "candidate"] as const) {
    const name = q.get(which);
    const text = q.get(`${which}.csv`);
    if (name !== null && text !== null) {
      state.verify[which] = { name, text: await unpackText(text) };
    }
  }
  const maxUlp = q.get("maxulp");
  if (maxUlp !== null) state.verify.maxUlp = maxUlp;
  return state;
}
