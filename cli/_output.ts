/**
 * Where the CLI's output goes, as bytes, with the runtime's backpressure: a file (synchronous
 * writes), the process's stdout (waits for `drain`; a reader that closes the pipe, as `| head`
 * does, ends the output quietly), or a test's `CliIo` callback.
 *
 * @module
 */

import { closeSync, openSync, writeSync } from "node:fs";
import process from "node:process";

/** An error the CLI reports as one line (exit status 2). */
export class CliError extends Error {}

/** Bytes out, in order. `write` may keep the chunk until its promise settles. */
export interface ByteSink {
  /** Writes a chunk; resolves when more may be written. */
  write(chunk: Uint8Array): void | Promise<void>;
  /** True once the reader is gone (a closed pipe): stop producing, quietly. */
  readonly gone: boolean;
  /** Flushes and closes (files). */
  close(): void;
}

const WHY: Record<string, string> = {
  ENOENT: "no such directory",
  EACCES: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EPERM: "permission denied",
};

/** "cannot write PATH: why" for a file-system error. */
export function cannotWrite(path: string, error: unknown): CliError {
  const code = (error as { code?: string } | null)?.code ?? "";
  const why = WHY[code] ?? (error instanceof Error ? error.message : String(error));
  return new CliError(`cannot write ${path}: ${why}`);
}

/** A file, written synchronously (no backpressure to wait for). */
export function fileSink(path: string): ByteSink {
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
        for (let off = 0; off < chunk.length;) off += writeSync(fd, chunk, off, chunk.length - off);
      } catch (error) {
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

/**
 * The process's stdout with backpressure: a chunk is handed to `process.stdout.write`, and when
 * the stream says its buffer is full the next write waits for `drain`. When the reader closes
 * the pipe (`EPIPE`), `gone` becomes true and the output ends quietly.
 */
export function stdoutSink(): ByteSink {
  const out = process.stdout;
  let gone = false;
  let failure: unknown;
  const onError = (error: unknown) => {
    if (isClosedPipe(error)) gone = true;
    else failure ??= error;
  };
  out.on("error", onError);
  const sink: ByteSink = {
    get gone() {
      return gone;
    },
    write(chunk) {
      if (gone) return;
      if (failure !== undefined) throw failure;
      let ok: boolean;
      try {
        ok = out.write(chunk);
      } catch (error) {
        onError(error);
        if (failure !== undefined) throw failure;
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
          gone = true;
          done();
        };
        out.on("drain", done);
        out.on("close", closed);
        out.on("error", done);
      });
    },
    close() {},
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
