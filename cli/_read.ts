/**
 * Reading the files a user names, bounded: only regular files (a FIFO would block forever,
 * `/dev/zero` never ends), settings files up to a size that no real config comes near, and large
 * tables in pieces so that they are compared in bounded memory.
 *
 * @module
 */

import { closeSync, fstatSync, openSync, readSync, type Stats, statSync } from "node:fs";
import { CliError, noteInput } from "./_output.ts";

/**
 * The largest settings file (a YAML or JSON config, a `_BASE_` file) the CLI reads: 16 MiB. The
 * largest of detectron2's, MMDetection's, transformers' and timm's own files are a few KiB.
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** A file that cannot be read: `cannot read PATH: why`, with the path and the reason as data. */
export class ReadError extends CliError {
  /** The file. */
  readonly path: string;
  /** Why it cannot be read ("no such file", "a named pipe (FIFO), not a regular file", …). */
  readonly why: string;
  /**
   * @param path The file.
   * @param why Why it cannot be read.
   */
  constructor(path: string, why: string) {
    super(`cannot read ${path}: ${why}`);
    this.name = "ReadError";
    this.path = path;
    this.why = why;
  }
}

const READ_WHY: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "the name is too long",
};

/**
 * The one-line reason a file cannot be read, for a `node:fs` error whose `code` is one a user
 * causes (`ENOENT`: "no such file", …); undefined for any other error.
 */
export function knownReadWhy(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && Object.hasOwn(READ_WHY, code) ? READ_WHY[code] : undefined;
}

/** The one-line reason a file cannot be read, from a `node:fs` error. */
export function readWhy(error: unknown): string {
  return knownReadWhy(error) ?? (error instanceof Error ? error.message : String(error));
}

/** Why a path that is not a regular file is refused. */
function notRegular(stat: Stats): string {
  if (stat.isDirectory()) return "is a directory";
  const kind = stat.isFIFO()
    ? "a named pipe (FIFO)"
    : stat.isCharacterDevice()
    ? "a character device"
    : stat.isBlockDevice()
    ? "a block device"
    : stat.isSocket()
    ? "a socket"
    : "something else";
  return `${kind}, not a regular file`;
}

/**
 * Opens a regular file for reading, or throws a {@linkcode CliError} that names it and says why
 * not. Symbolic links are followed, and judged by what they point at.
 */
function openRegular(path: string): number {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    throw new ReadError(path, `${readWhy(error)}`);
  }
  if (!stat.isFile()) {
    throw new ReadError(path, notRegular(stat));
  }
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new ReadError(path, `${readWhy(error)}`);
  }
  // The path may have been replaced between the two looks.
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new ReadError(path, `not a regular file`);
  }
  // An input of this run: no output may replace it (`--out` naming the config).
  noteInput(path);
  return fd;
}

/**
 * The bytes of a settings file: a regular file of at most `limit` bytes.
 *
 * @param path The file.
 * @param limit The most bytes to accept.
 * @returns Its bytes.
 * @throws {CliError} If it is not a regular file, cannot be read or is larger than `limit`.
 */
export function readSettingsBytes(path: string, limit: number = MAX_CONFIG_BYTES): Uint8Array {
  const fd = openRegular(path);
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(1 << 20, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) {
        throw new ReadError(
          path,
          `larger than ${limit} bytes; no learning-rate config is that large`,
        );
      }
      chunks.push(chunk.subarray(0, n));
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } catch (error) {
    if (error instanceof ReadError) throw error;
    throw new ReadError(path, `${readWhy(error)}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The text of a settings file (UTF-8): see {@linkcode readSettingsBytes}.
 */
export function readSettingsText(path: string, limit: number = MAX_CONFIG_BYTES): string {
  return new TextDecoder("utf-8").decode(readSettingsBytes(path, limit));
}

/**
 * A regular file's text in pieces of about `size` bytes (UTF-8, split safely between
 * characters), for tables of any length read in bounded memory. The file is opened at once, so
 * that an unreadable file fails before anything is compared.
 *
 * @param path The file.
 * @param size Bytes per read.
 * @returns The pieces, to iterate once.
 */
export function readTextPieces(path: string, size: number = 1 << 20): Iterable<string> {
  const fd = openRegular(path);
  return (function* (): Generator<string> {
    const decoder = new TextDecoder("utf-8");
    const buffer = new Uint8Array(size);
    try {
      for (;;) {
        let n: number;
        try {
          n = readSync(fd, buffer, 0, size, null);
        } catch (error) {
          throw new ReadError(path, `${readWhy(error)}`);
        }
        if (n === 0) break;
        yield decoder.decode(buffer.subarray(0, n), { stream: true });
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    } finally {
      closeSync(fd);
    }
  })();
}
