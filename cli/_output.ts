/**
 * Where the CLI's output goes, as bytes, with the runtime's backpressure: a file (synchronous
 * writes, replaced atomically), the process's stdout (waits for `drain`; a reader that closes the
 * pipe, as `| head` does, ends the output quietly; any other failure is an error), or a test's
 * `CliIo` callback.
 *
 * A file is never lost or half-written: the bytes go to a temporary file in the same directory,
 * which replaces the file (a rename) only once every byte is written and synced. On an error, or
 * on SIGINT, SIGTERM or SIGHUP, the temporary file is removed and the old file is left as it was
 * (SIGKILL cannot be caught: it leaves the temporary file behind, and the old file intact). A
 * file the run has read (its config, a `_BASE_`, a golden) is never an output.
 *
 * @module
 */

import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { setImmediate } from "node:timers";

/** An error the CLI reports as one line (exit status 2). */
export class CliError extends Error {}

/** Bytes out, in order. `write` may keep the chunk until its promise settles. */
export interface ByteSink {
  /** Writes a chunk; resolves when more may be written. */
  write(chunk: Uint8Array): void | Promise<void>;
  /** True once the reader is gone (a closed pipe): stop producing, quietly. */
  readonly gone: boolean;
  /** Flushes and closes (files: replaces the file with what was written). */
  close(): void;
}

const WHY: Record<string, string> = {
  ENOENT: "no such directory",
  EACCES: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  EIO: "input/output error",
  EPERM: "permission denied",
  EPIPE: "the reader closed the pipe",
  EXDEV: "a temporary file could not be renamed across file systems",
};

/** "cannot write PATH: why" for a file-system error. */
export function cannotWrite(path: string, error: unknown): CliError {
  const code = (error as { code?: string } | null)?.code ?? "";
  const why = WHY[code] ?? (error instanceof Error ? error.message : String(error));
  return new CliError(`cannot write ${path}: ${why}`);
}

/** The files this run has read, by identity (device and inode), with the name they were read as. */
const inputs = new Map<string, string>();

/** A file's identity, or undefined if it does not exist. */
function identity(path: string): string | undefined {
  try {
    const st = statSync(path);
    // Windows may report no inode: the resolved path then names the file.
    return st.ino ? `${st.dev}:${st.ino}` : `path:${realpathSync(path)}`;
  } catch {
    return undefined;
  }
}

/** Records a file the run has read: an output must never replace it. */
export function noteInput(path: string): void {
  const id = identity(path);
  if (id !== undefined && !inputs.has(id)) inputs.set(id, path);
}

/** Forgets the inputs of an earlier run (`main` may run more than once in a process). */
export function forgetInputs(): void {
  inputs.clear();
}

/** A temporary file not yet renamed over its target, and how to remove it. */
interface Unfinished {
  discard(): void;
}

/** Temporary files being written; removed on an error (`discardUnfinished`) or a signal. */
const unfinished = new Set<Unfinished>();

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
type CaughtSignal = typeof SIGNALS[number];
const SIGNAL_NUMBERS: Record<CaughtSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * A signal while a temporary file exists: remove it, then die of the signal as the default action
 * would (exit status 128 + its number) — unless the program running the CLI handles it itself.
 */
function onSignal(signal: CaughtSignal): void {
  discardUnfinished();
  if (process.listenerCount(signal) > 0) return;
  process.kill(process.pid, signal);
  // Should the runtime not restore the default action, end the same way.
  setTimeout(() => process.exit(128 + SIGNAL_NUMBERS[signal]), 1000);
}

function watchSignals(on: boolean): void {
  for (const signal of SIGNALS) {
    try {
      if (on) process.on(signal, onSignal);
      else process.off(signal, onSignal);
    } catch {
      // A signal the platform does not have (SIGHUP, SIGTERM on Windows under Deno).
    }
  }
}

function track(file: Unfinished, on: boolean): void {
  const before = unfinished.size;
  if (on) unfinished.add(file);
  else unfinished.delete(file);
  if (before === 0 && unfinished.size === 1) watchSignals(true);
  if (before > 0 && unfinished.size === 0) watchSignals(false);
}

/** The temporary files open now: {@linkcode discardUnfinished} leaves these to their run. */
export function unfinishedMark(): ReadonlySet<unknown> {
  return new Set(unfinished);
}

/**
 * Removes the temporary files not yet renamed (all of them, or those opened after `mark`): their
 * targets stay as they were.
 */
export function discardUnfinished(mark: ReadonlySet<unknown> = new Set()): void {
  for (const file of [...unfinished]) if (!mark.has(file)) file.discard();
}

/** Resolves after the event loop's other work (signals among it) has had its turn. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Writes every byte of `chunk` to `fd`. */
function writeAll(fd: number, chunk: Uint8Array): void {
  for (let off = 0; off < chunk.length;) off += writeSync(fd, chunk, off, chunk.length - off);
}

/**
 * A file, written synchronously (no backpressure to wait for) and atomically: into a temporary
 * file beside it, which replaces it on `close()` (after an fsync). The file's permissions are
 * kept; a symbolic link is written through (its target is replaced). A path that is not a regular
 * file (`/dev/stdout`, `/dev/null`, a FIFO) is written in place.
 *
 * @throws {CliError} If `path` is one of the run's inputs, or cannot be written.
 */
export function fileSink(path: string): ByteSink {
  const read = inputs.get(identity(path) ?? "");
  if (read !== undefined) {
    throw new CliError(
      `cannot write ${path}: it is an input of this command${
        read === path ? "" : ` (read as ${read})`
      }; write the output to another file`,
    );
  }
  let target = path;
  let mode: number | undefined;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error(), { code: "EISDIR" });
    if (!st.isFile()) return inPlaceSink(path);
    target = realpathSync(path);
    mode = st.mode & 0o7777;
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw cannotWrite(path, error);
  }
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
  let fd = -1;
  let open = false;
  let made = false;
  const file: Unfinished = {
    discard() {
      track(file, false);
      if (open) {
        open = false;
        try {
          closeSync(fd);
        } catch { /* already failed */ }
      }
      if (!made) return;
      try {
        unlinkSync(temp);
      } catch { /* already gone */ }
    },
  };
  // Watched before the temporary file exists: a signal the moment it appears removes it.
  track(file, true);
  try {
    fd = openSync(temp, "wx", mode ?? 0o666);
    made = open = true;
    if (mode !== undefined) fchmodSync(fd, mode);
  } catch (error) {
    file.discard();
    throw cannotWrite(path, error);
  }
  let yielded = Date.now();
  return {
    gone: false,
    write(chunk) {
      try {
        writeAll(fd, chunk);
      } catch (error) {
        file.discard();
        throw cannotWrite(path, error);
      }
      // A long curve writes without waiting: let a signal's handler run now and then.
      if (Date.now() - yielded < 50) return;
      yielded = Date.now();
      return nextTurn();
    },
    close() {
      try {
        fsyncSync(fd);
        open = false;
        closeSync(fd);
        renameSync(temp, target);
      } catch (error) {
        file.discard();
        throw cannotWrite(path, error);
      }
      track(file, false);
    },
  };
}

/** A device or FIFO, written where it is (nothing to replace atomically). */
function inPlaceSink(path: string): ByteSink {
  let fd: number;
  try {
    fd = openSync(path, "w");
  } catch (error) {
    throw cannotWrite(path, error);
  }
  return {
    gone: false,
    write(chunk) {
      try {
        writeAll(fd, chunk);
      } catch (error) {
        closeSync(fd);
        throw cannotWrite(path, error);
      }
    },
    close() {
      closeSync(fd);
    },
  };
}

/** Text through a callback (tests, `main(argv, io)`). */
export function callbackSink(write: (text: string) => void): ByteSink {
  const decoder = new TextDecoder();
  return {
    gone: false,
    write(chunk) {
      write(decoder.decode(chunk, { stream: true }));
    },
    close() {},
  };
}

function isClosedPipe(error: unknown): boolean {
  const e = error as { code?: string; name?: string } | null;
  return e?.code === "EPIPE" || e?.code === "ERR_STREAM_DESTROYED" || e?.name === "BrokenPipe";
}

/** The process's stdout as a {@linkcode ByteSink}, which says at the end whether all went out. */
export interface StdoutSink extends ByteSink {
  /**
   * Waits until every chunk written so far has gone out (or failed).
   * @throws {CliError} "cannot write standard output: why" if a write failed (other than a
   * closed pipe), unless a `write` has already thrown that failure.
   */
  finish(): Promise<void>;
}

/**
 * The process's stdout with backpressure: a chunk is handed to `process.stdout.write`, and when
 * the stream says its buffer is full the next write waits for `drain`. When the reader closes
 * the pipe (`EPIPE`), `gone` becomes true and the output ends quietly. Any other failure (a full
 * disk, `/dev/full`, EIO) is thrown by the next `write` or by `finish`, whichever comes first —
 * as the runtime reports it: Deno throws at once, Node and Bun call back or emit `error` later.
 */
export function stdoutSink(): StdoutSink {
  const out = process.stdout;
  let gone = false;
  let failure: unknown;
  let thrown = false;
  /** Writes handed to the stream whose callback has not come yet. */
  let pending = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (pending > 0 && !gone && failure === undefined) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  const onError = (error: unknown) => {
    if (isClosedPipe(error)) gone = true;
    else failure ??= error;
    settle();
  };
  const fail = (): never => {
    thrown = true;
    throw cannotWrite("standard output", failure);
  };
  out.on("error", onError);
  const sink: StdoutSink = {
    get gone() {
      return gone;
    },
    write(chunk) {
      if (gone) return;
      if (failure !== undefined) fail();
      let ok: boolean;
      let called = false;
      pending++;
      const done = (error?: unknown) => {
        if (called) return;
        called = true;
        pending--;
        if (error) onError(error);
        else settle();
      };
      try {
        ok = out.write(chunk, done);
      } catch (error) {
        done(error);
        if (failure !== undefined) fail();
        return;
      }
      if (ok) return;
      return new Promise<void>((resolve) => {
        const done = () => {
          out.off("drain", done);
          out.off("close", closed);
          out.off("error", done);
          resolve();
        };
        const closed = () => {
          if (failure === undefined) gone = true;
          done();
        };
        out.on("drain", done);
        out.on("close", closed);
        out.on("error", done);
      });
    },
    close() {},
    async finish() {
      if (pending > 0 && !gone && failure === undefined) {
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      // An `error` event may follow the callback (Bun): give it its turn.
      await nextTurn();
      if (failure !== undefined && !gone && !thrown) fail();
    },
  };
  return sink;
}

/**
 * Bytes into a reusable buffer, handed to a sink a chunk at a time. `reserve(n)` makes room for
 * `n` bytes (flushing first when needed) and returns the position to write at.
 */
export class ByteWriter {
  /** The buffer; write at `pos` after `reserve`. */
  buf: Uint8Array;
  /** The write position. */
  pos = 0;
  /** Bytes handed to the sink so far. */
  flushed = 0;
  readonly #sink: ByteSink;
  readonly #copy: boolean;

  /**
   * @param sink Where the bytes go.
   * @param size The buffer size.
   * @param copy Whether the sink keeps chunks (stdout): each flush then uses a fresh buffer.
   */
  constructor(sink: ByteSink, size = 1 << 20, copy = false) {
    this.#sink = sink;
    this.buf = new Uint8Array(size);
    this.#copy = copy;
  }

  /** Whether the reader is gone. */
  get gone(): boolean {
    return this.#sink.gone;
  }

  /** Hands the buffered bytes to the sink. */
  flush(): void | Promise<void> {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.flushed += this.pos;
    this.pos = 0;
    if (this.#copy) this.buf = new Uint8Array(this.buf.length);
    return this.#sink.write(chunk);
  }

  /** Appends text (ASCII or not). */
  async text(s: string): Promise<void> {
    const bytes = new TextEncoder().encode(s);
    if (this.pos + bytes.length > this.buf.length) await this.flush();
    if (bytes.length > this.buf.length) {
      await this.#sink.write(bytes);
      this.flushed += bytes.length;
      return;
    }
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Flushes and closes the sink. */
  async close(): Promise<void> {
    await this.flush();
    this.#sink.close();
  }
}
