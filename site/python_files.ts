/**
 * A `.py` config uploaded to the playground, with its `_base_` files (or a folder), as the
 * Python sandbox reads it: the uploaded files become the only files of a read-only tree under
 * `/upload` (nothing else is served), and the request is the one `config/pyodide/load.ts` makes
 * for a file on disk. Pure data, no DOM and no file system: the page's worker
 * (`site/python_worker.ts`) and the tests use it.
 *
 * @module
 */

/** Where the uploaded files are mounted. */
export const UPLOAD_ROOT = "/upload";

/** Which framework's loader reads the config. */
export type UploadKind = "mmengine" | "lazyconfig";

/** A `.py` config and what came with it, as the page holds them. */
export interface PythonUpload {
  /** `mmengine` (`Config.fromfile`) or `lazyconfig` (`LazyConfig.load`). */
  kind: UploadKind;
  /** The config's file name, or its path in an uploaded folder (`configs/dino/x.py`). */
  name: string;
  /** The config's text. */
  text: string;
  /** The other files: path as uploaded (a folder's relative path, else the name) → text. */
  files: Readonly<Record<string, string>>;
  /** `KEY=VALUE` overrides (`--cfg-options`). */
  overrides?: readonly string[];
}

/** What the sandbox's worker is asked (the same request as for a file on disk). */
export interface UploadRequest {
  /** The framework. */
  kind: UploadKind;
  /** The config's path in the tree. */
  path: string;
  /** The readable trees. */
  roots: string[];
  /** The config's directory. */
  cwd: string;
  /** The overrides. */
  overrides: string[];
}

/** A POSIX path without `.`, `..` or repeated slashes; undefined if it climbs above `/`. */
function normalize(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return "/" + out.join("/");
}

/** The uploaded path under {@linkcode UPLOAD_ROOT}. */
function mounted(name: string): string {
  const path = normalize(`${UPLOAD_ROOT}/${name.replace(/\\/g, "/")}`);
  // A `..` in an uploaded name cannot climb out of the mount.
  return path !== undefined && path.startsWith(`${UPLOAD_ROOT}/`)
    ? path
    : `${UPLOAD_ROOT}/${name.replace(/^.*[\\/]/, "")}`;
}

const baseName = (path: string) => path.replace(/^.*\//, "");

/**
 * The tree the sandbox reads and the request for the config. An uploaded folder keeps its
 * layout (`_base_` paths resolve as on disk); the config is that folder's file of the same name
 * and text when there is one, else it sits at the top of the tree.
 *
 * @param upload The config, its files and overrides.
 * @returns Path → text under {@linkcode UPLOAD_ROOT}, and the request.
 */
export function pythonTree(
  upload: PythonUpload,
): { files: Record<string, string>; request: UploadRequest } {
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(upload.files)) files[mounted(name)] = text;
  const same = Object.keys(files).find((p) =>
    (p.endsWith(`/${upload.name}`) || baseName(p) === baseName(upload.name)) &&
    files[p] === upload.text
  );
  const path = same ?? mounted(upload.name);
  files[path] = upload.text;
  return {
    files,
    request: {
      kind: upload.kind,
      path,
      // The Python side's check passes every path; the host below serves the uploads only.
      roots: ["/"],
      cwd: path.slice(0, path.lastIndexOf("/")) || "/",
      overrides: [...(upload.overrides ?? [])],
    },
  };
}

/** The sandbox's view of the files: `read(path)` and `kind(path)`, as `_worker.mjs` serves a disk. */
export interface FilesHost {
  /** A file's text; undefined when it is not there. */
  read(path: string): string | undefined;
  /** `file`, `dir`, or undefined. */
  kind(path: string): "file" | "dir" | undefined;
}

/**
 * The uploaded files as the sandbox's host: a path is served when it was uploaded there, or —
 * as the YAML form's `_BASE_` files are matched — when exactly one uploaded file has its name
 * (bases picked one by one, without their folders). Nothing else exists.
 *
 * @param files Path → text, as {@linkcode pythonTree} mounts them.
 * @returns The host.
 */
export function memoryHost(files: Readonly<Record<string, string>>): FilesHost {
  const byName = new Map<string, string | null>();
  for (const p of Object.keys(files)) {
    const n = baseName(p);
    byName.set(n, byName.has(n) ? null : p); // null: two files share the name
  }
  const find = (path: string): string | undefined => {
    const p = normalize(path);
    if (p === undefined) return undefined;
    if (Object.hasOwn(files, p)) return p;
    return byName.get(baseName(p)) ?? undefined;
  };
  return {
    read(path) {
      const p = find(path);
      return p === undefined ? undefined : files[p];
    },
    kind(path) {
      if (find(path) !== undefined) return "file";
      const p = normalize(path);
      if (p === undefined) return undefined;
      const dir = p.endsWith("/") ? p : `${p}/`;
      return Object.keys(files).some((f) => f.startsWith(dir)) ? "dir" : undefined;
    },
  };
}
