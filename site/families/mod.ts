/**
 * The playground's schedule families, in the order the page lists them. Adding a family is a
 * file in this folder (its docs entry point, which exports are schedules, how to run them) and a
 * line here; its forms come from its documentation at build time.
 *
 * @module
 */

import type { SiteSchema } from "../schema.ts";
import { type Family, familySchedules, type ScheduleDef } from "./family.ts";
import { DETECTRON2 } from "./detectron2.ts";
import { FVCORE } from "./fvcore.ts";
import { TORCH } from "./torch.ts";
import { HF } from "./hf.ts";
import { OPTAX } from "./optax.ts";
import { TIMM } from "./timm.ts";
import { MEGATRON } from "./megatron.ts";
import { DEEPSPEED } from "./deepspeed.ts";
import { KERAS } from "./keras.ts";
import { MMENGINE } from "./mmengine.ts";

export * from "./family.ts";

/** Every family, in the page's order. */
export const FAMILIES: readonly Family[] = [
  DETECTRON2,
  FVCORE,
  TORCH,
  HF,
  TIMM,
  OPTAX,
  MEGATRON,
  DEEPSPEED,
  KERAS,
  MMENGINE,
];

/** The schedule the page shows with no query: detectron2's default config. */
export const DEFAULT_SCHEDULE = "detectron2/config";

/**
 * Every schedule the page offers, family by family.
 *
 * @param schema The build's schema (the docs' forms).
 * @returns The schedules, by id (`torch/StepLR`), in the page's order.
 */
export function siteSchedules(schema: SiteSchema): Map<string, ScheduleDef> {
  const out = new Map<string, ScheduleDef>();
  for (const family of FAMILIES) {
    for (const def of familySchedules(family, schema)) out.set(def.id, def);
  }
  return out;
}

/**
 * What would make a form wrong, found at build time: a family with no schedule, an example for
 * an option the docs do not have (a typo, or a renamed option), a page setting that shadows an
 * option, a missing default schedule.
 *
 * @param schema The build's schema.
 * @returns The problems (empty: none).
 */
export function registryProblems(schema: SiteSchema): string[] {
  const problems: string[] = [];
  const defs = siteSchedules(schema);
  if (!defs.has(DEFAULT_SCHEDULE)) problems.push(`no default schedule ${DEFAULT_SCHEDULE}`);
  for (const family of FAMILIES) {
    const mine = [...defs.values()].filter((d) => d.family === family.id);
    if (mine.length === 0) problems.push(`${family.id}: no schedule (docs: ${family.docs})`);
    if (family.first && !mine.some((d) => d.name === family.first)) {
      problems.push(`${family.id}: no schedule ${family.first} to show first`);
    }
    for (const [name, examples] of Object.entries(family.examples ?? {})) {
      const def = defs.get(`${family.id}/${name}`);
      if (!def) {
        problems.push(`${family.id}: an example for ${name}, which is not on the form`);
        continue;
      }
      for (const key of Object.keys(examples)) {
        if (!def.fields.some((f) => f.name === key)) {
          problems.push(`${family.id}/${name}: an example for \`${key}\`, which is not an option`);
        }
      }
    }
    for (const def of mine) {
      const names = def.fields.map((f) => f.name);
      const twice = names.filter((n, i) => names.indexOf(n) !== i);
      if (twice.length) problems.push(`${def.id}: fields named twice: ${twice.join(", ")}`);
    }
  }
  return problems;
}
