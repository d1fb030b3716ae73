/**
 * A Python config worker's reply made a result or an error, without the file system: shared by
 * `load.ts` (Deno, Bun, Node) and the playground's browser worker (`site/python.ts`).
 *
 * @module
 */

/** A loaded config. */
export interface PythonConfig {
  /** The config as JSON-like data. */
  config: Record<string, unknown>;
  /** Every file read, absolute paths, in the order they were first read. */
  files: string[];
}

/** Why a Python config could not be loaded: the Python exception, or the time limit. */
export class PythonConfigError extends Error {
  /** The Python exception's type (`ImportError`, `PermissionError`, …), or `Timeout`. */
  readonly pythonType: string;
  /** The config file. */
  readonly file: string;
  /** The config file and line the error points at, when the traceback names one. */
  readonly location: { file: string; line: number } | undefined;

  /**
   * Creates the error.
   *
   * @param message The message.
   * @param data The Python type, the file and the location.
   */
  constructor(
    message: string,
    data: { pythonType: string; file: string; location?: { file: string; line: number } },
  ) {
    super(message);
    this.name = "PythonConfigError";
    this.pythonType = data.pythonType;
    this.file = data.file;
    this.location = data.location;
  }
}

/** The last `File "...", line N` of a traceback outside lrspec's own Python files. */
function locate(message: string): { file: string; line: number } | undefined {
  let found: { file: string; line: number } | undefined;
  for (const m of message.matchAll(/File "([^"]+)", line (\d+)/g)) {
    if (!m[1]!.startsWith("/lrspec/") && !m[1]!.startsWith("/lib/")) {
      found = { file: m[1]!, line: Number(m[2]) };
    }
  }
  return found;
}

/** The exception line of a Python traceback (its last non-empty line). */
function lastLine(message: string): string {
  const lines = message.trim().split("\n");
  return lines[lines.length - 1]!.trim();
}

/** What the worker answers. */
export type Reply =
  | { ok: true; json: string }
  | { ok: false; error: { type: string; message: string } };

/** The config, or the located error, of a worker's reply. */
export function settle(reply: Reply, path: string): PythonConfig {
  if (reply.ok) return JSON.parse(reply.json) as PythonConfig;
  const error = reply.error;
  const location = locate(error.message);
  const where = location ? `${location.file}:${location.line}: ` : `${path}: `;
  const line = lastLine(error.message);
  const pythonType = /^(\w+):/.exec(line)?.[1] ?? error.type;
  throw new PythonConfigError(`${where}${line}`, {
    pythonType,
    file: path,
    ...(location ? { location } : {}),
  });
}
