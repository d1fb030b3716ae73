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
