/**
 * The Levenshtein distance behind every "did you mean" hint: detectron2 config keys
 * (`config/cfg_node.ts`), `TrainingArguments` fields (`hf/training_args.ts`) and the CLI's
 * settings files (`cli/`). Not part of the package's API.
 *
 * @module
 */

/** The Levenshtein distance between `a` and `b` (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
