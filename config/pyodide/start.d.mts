// Types of start.mjs (plain JavaScript, run as it is by the workers); TypeScript finds this file
// beside it, Deno through the @ts-self-types comment there.
export declare const SANDBOX_MODULES: string[];
export declare function installSandbox(
  pyodide: unknown,
  sources: Record<string, string>,
  host: { read(path: string): string | undefined; kind(path: string): string | undefined },
): unknown;
export declare function answer(
  sandbox: unknown,
  id: number,
  request: unknown,
):
  | { id: number; ok: true; json: string }
  | { id: number; ok: false; error: { type: string; message: string } };
