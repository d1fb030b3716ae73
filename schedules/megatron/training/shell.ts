/**
 * A launch script's argument text split into words as a POSIX shell splits it, each with where
 * it starts in the text — for {@linkcode splitShellWords} and for front ends that place an
 * argument's error on its line. Not part of the public API (`mod.ts` does not export it).
 *
 * @module
 */

/** A word of the text and the offset of its first character (a quote or a backslash included). */
export interface ShellWord {
  /** The word, quotes and escapes removed. */
  word: string;
  /** Where it starts in the text (UTF-16 code units). */
  offset: number;
}

/**
 * Splits text into words as a POSIX shell would: whitespace, `'…'` and `"…"` quotes, backslash
 * escapes and line continuations, `#` comments.
 *
 * @param text The text.
 * @param owner Who reads it, for the error (`parseMegatronArgs`).
 * @returns The words, with their offsets.
 * @throws {SyntaxError} For an unterminated quote; its `cause` names the option before it (or
 * `line`), the rest of the text from the quote as the value, and the quote's `offset`.
 */
export function shellWords(text: string, owner: string): ShellWord[] {
  const words: ShellWord[] = [];
  let word = null as string | null;
  let start = 0;
  let i = 0;
  const push = () => {
    if (word !== null) words.push({ word, offset: start });
    word = null;
  };
  const add = (text: string, at: number) => {
    if (word === null) start = at;
    word = (word ?? "") + text;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\") {
      if (text[i + 1] === "\n") i += 2;
      else if (text[i + 1] === "\r" && text[i + 2] === "\n") i += 3;
      else {
        add(text[i + 1] ?? "", i);
        i += 2;
      }
    } else if (/\s/.test(c)) {
      push();
      i++;
    } else if (c === "#" && word === null) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) {
        // The option the quoted value belongs to: the word it is part of (`--x="…`), or the
        // one before it (`--x "…`).
        const prev = word ?? words[words.length - 1]?.word;
        const option = prev !== undefined && prev.startsWith("--") &&
            (word !== null ? prev.includes("=") : !prev.includes("="))
          ? prev
          : undefined;
        const rest = text.slice(i, i + 40);
        throw new SyntaxError(`${owner}: unterminated ${c} quote at offset ${i}`, {
          cause: {
            owner,
            option: option?.replace(/=.*$/, "") ?? "line",
            value: rest,
            offset: i,
          },
        });
      }
      add(text.slice(i + 1, end), i);
      i = end + 1;
    } else {
      add(c, i);
      i++;
    }
  }
  push();
  return words;
}

/**
 * The line (1-based) of an offset of a text.
 *
 * @param text The text.
 * @param offset An offset in it.
 * @returns Its line.
 */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let k = text.indexOf("\n"); k >= 0 && k < offset; k = text.indexOf("\n", k + 1)) line++;
  return line;
}

/** A launch script's arguments as a text {@linkcode parseMegatronArgs} reads, and back. */
export interface LaunchScript {
  /** The arguments, one quoted word each. */
  text: string;
  /** The offset in the script of the word at an offset of `text` (its start). */
  offset(at: number): number;
  /** The arrays read, in order (`TRAINING_ARGS`). */
  arrays: string[];
}

/** `NAME=(`, `NAME+=(`, `declare -a NAME=(` at the start of a command. */
const ARRAY =
  /(^|[\n;])[ \t]*(?:(?:declare|local|readonly|export)[ \t]+(?:-a[ \t]+)?)?([A-Za-z_]\w*)\+?=\(/g;

/** `NAME=value` on a line of its own (`export` allowed), not an array. */
const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_]\w*)=(?!\()(.*)$/gm;

/** `${NAME[@]}`, `$NAME[*]`: an array's expansion. */
const EXPANSION = /^\$\{?[A-Za-z_]\w*\[[@*]\]\}?$/;

/** Where the `)` closing an array whose body starts at `from` is (quotes, comments skipped). */
function closing(text: string, from: number): number {
  let word = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") i++;
    else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === "#" && !word) {
      const end = text.indexOf("\n", i);
      if (end < 0) return -1;
      i = end;
    } else if (c === ")") return i;
    word = !/\s/.test(c);
  }
  return -1;
}

/**
 * The arguments of a launch script that keeps them in bash arrays, as Megatron's examples do
 * (`TRAINING_ARGS=( --lr 6.0e-5 … )`, then `torchrun ${DISTRIBUTED_ARGS[@]} pretrain_gpt.py
 * ${TRAINING_ARGS[@]} …`): the words of every array in the file's order (`NAME+=(…)` too, whatever
 * `if` is around it; lrspec does not run the script), an array's expansion (`"${DDP_ARGS[@]}"`)
 * left out, `$NAME`, `${NAME}` and `${NAME:-default}` replaced by the value of a plain assignment
 * (`MICRO_BATCH_SIZE=1`; the last one in the file) or the default, then the words after the
 * training script (`pretrain_gpt.py`) on the command that runs it.
 *
 * @param text The script.
 * @returns The arguments as a text, with each word's offset in the script; undefined for a
 * script without arrays (or one whose quotes do not close), read as it is.
 */
export function launchScript(text: string): LaunchScript | undefined {
  const values = new Map<string, string>();
  for (const m of text.matchAll(ASSIGNMENT)) {
    try {
      const words = shellWords(m[2]!, "launchScript");
      if (words.length === 1 && !/[$`]/.test(m[2]!)) values.set(m[1]!, words[0]!.word);
      else if (words.length === 0) values.set(m[1]!, "");
    } catch {
      // An assignment whose quotes do not close: not a value.
    }
  }
  const expand = (word: string) =>
    word.replace(
      /\$(?:\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|([A-Za-z_]\w*))/g,
      (all, braced: string | undefined, fallback: string | undefined, bare: string | undefined) =>
        values.get(braced ?? bare!) ?? fallback ?? all,
    );
  const found: ShellWord[] = [];
  const arrays: string[] = [];
  let last = 0;
  try {
    for (const m of text.matchAll(ARRAY)) {
      const start = m.index + m[0].length;
      if (start < last) continue; // inside an array already read
      const end = closing(text, start);
      if (end < 0) return undefined;
      arrays.push(m[2]!);
      for (const w of shellWords(text.slice(start, end), "launchScript")) {
        found.push({ word: w.word, offset: start + w.offset });
      }
      last = end + 1;
    }
    if (arrays.length === 0) return undefined;
    // The command after the arrays: the words after the training script, to its line's end.
    const rest = shellWords(text.slice(last), "launchScript");
    const script = rest.findIndex((w) => /\.py$/.test(expand(w.word)));
    if (script >= 0) {
      let end = text.length;
      for (let i = last + rest[script]!.offset; i < text.length; i++) {
        if (text[i] === "\\") i++;
        else if (text[i] === "\n") {
          end = i;
          break;
        }
      }
      for (const w of rest.slice(script + 1)) {
        if (last + w.offset >= end) break;
        found.push({ word: w.word, offset: last + w.offset });
      }
    }
  } catch {
    return undefined; // a quote that does not close: the parser reads the script and says where
  }
  let out = "";
  const starts: number[] = [];
  const offsets: number[] = [];
  for (const w of found) {
    if (EXPANSION.test(w.word)) continue;
    if (out) out += " ";
    starts.push(out.length);
    offsets.push(w.offset);
    out += `'${expand(w.word).replaceAll("'", `'\\''`)}'`;
  }
  return {
    text: out,
    arrays,
    offset(at: number): number {
      let k = starts.length - 1;
      while (k > 0 && starts[k]! > at) k--;
      return offsets[k] ?? 0;
    },
  };
}
