/**
 * The playground's forms, derived from the library's own documentation: `deno doc --json` of a
 * family's entry point lists its schedules (a class or function taking one options object) and
 * each options interface's fields — their names, types, doc comments and `@default` tags. The
 * site build turns that into a {@linkcode SiteSchema} that the page renders as forms, so a form
 * shows exactly the option names and defaults the library documents.
 *
 * Pure data transformation: no DOM, no file system (the build script runs `deno doc`).
 *
 * @module
 */

/** A `deno doc --json` type node (only the fields read here). */
export interface DocType {
  /** The node's kind (`keyword`, `literal`, `union`, `array`, `typeRef`, …). */
  kind: string;
  /** What the kind holds. */
  value?: unknown;
  /** The type as written. */
  repr?: string;
}

/** A `deno doc --json` JSDoc block. */
export interface DocJs {
  /** The text. */
  doc?: string;
  /** Tags (`@default`, …). */
  tags?: { kind: string; value?: string; doc?: string }[];
}

/** A `deno doc --json` symbol declaration (only the fields read here). */
export interface DocDeclaration {
  /** `class`, `function`, `interface`, `typeAlias`, `variable`, … */
  kind: string;
  /** The doc comment. */
  jsDoc?: DocJs;
  /** The declaration itself. */
  def?: Record<string, unknown>;
}

/** A `deno doc --json` symbol. */
export interface DocSymbol {
  /** Its exported name. */
  name: string;
  /** Its declarations. */
  declarations: DocDeclaration[];
}

/** The output of `deno doc --json` (format version 2). */
export interface DocJson {
  /** One node per entry point given. */
  nodes: Record<string, { module_doc?: DocJs; symbols: DocSymbol[] }>;
}

/** How the page reads a field's text, from the documented type. */
export interface FieldType {
  /** The type as the docs write it (`number | readonly number[]`). */
  repr: string;
  /** What a value may be: `number`, `bigint`, `boolean`, `string`, `null`, `array`, `object`. */
  accepts: string[];
  /** The literal values of a union of literals (`"triangular"`, `"cos"`), to pick from. */
  literals: (string | number | boolean)[];
  /** Why the field cannot be typed into a form (a function, a scheduler, an optimizer). */
  unsupported?: string;
}

/** One option of a schedule, as the form shows it. */
export interface FieldSpec {
  /** The option's name (camelCase, upstream's keyword). */
  name: string;
  /** Its doc comment's text. */
  doc: string;
  /** Whether the option may be omitted. */
  optional: boolean;
  /** The `@default` tag's text (`0.1`, `"cos"`, `{MAX_ITER + 1}`), when documented. */
  default?: string;
  /** The type. */
  type: FieldType;
  /** The interface that declares it (the options interface itself, or one it extends). */
  owner: string;
}

/** A schedule the docs list: a class or function taking one options object. */
export interface ScheduleSpec {
  /** The exported name (`StepLR`, `cosineDecaySchedule`). */
  name: string;
  /** Class or function. */
  kind: "class" | "function";
  /** The options interface's name (`StepLROptions`). */
  options: string;
  /** The first paragraph of the schedule's doc comment. */
  summary: string;
  /** The options, base interfaces' first. */
  fields: FieldSpec[];
  /** What the schedule returns (a function's return type) or extends (a class's base classes). */
  is: string[];
}

/** A schedule that a family's docs list but the form cannot build, and why. */
export interface Unlisted {
  /** The schedule. */
  name: string;
  /** Why (`lrLambda is a function`). */
  why: string;
}

/** What the build derives for one family. */
export interface FamilySchema {
  /** The entry point's module doc, first paragraph. */
  summary: string;
  /** The schedules on the form. */
  schedules: ScheduleSpec[];
  /** Schedules left off the form (an option that is a function or a scheduler). */
  unlisted: Unlisted[];
  /** Options interfaces asked for by name (config sources' fields). */
  interfaces: Record<string, FieldSpec[]>;
}

/** What the build embeds in the page. */
export interface SiteSchema {
  /** The library's version. */
  version: string;
  /** Per family id. */
  families: Record<string, FamilySchema>;
}

/** The symbols of every node of a doc JSON, by name (the first declaration of each kind). */
export class DocIndex {
  readonly #symbols = new Map<string, DocSymbol>();
  /** The module doc of the first node. */
  readonly moduleDoc: string;

  /**
   * Indexes a `deno doc --json` output.
   *
   * @param json The parsed output.
   */
  constructor(json: DocJson) {
    let moduleDoc = "";
    for (const node of Object.values(json.nodes)) {
      moduleDoc ||= node.module_doc?.doc ?? "";
      for (const s of node.symbols) if (!this.#symbols.has(s.name)) this.#symbols.set(s.name, s);
    }
    this.moduleDoc = moduleDoc;
  }

  /** Every symbol name. */
  names(): string[] {
    return [...this.#symbols.keys()];
  }

  /** The declaration of `name` of the given kind, if any. */
  get(name: string, kind: string): DocDeclaration | undefined {
    return this.#symbols.get(name)?.declarations.find((d) => d.kind === kind);
  }
}

/** The first paragraph of a doc text, on one line. */
export function firstParagraph(text: string | undefined): string {
  return (text ?? "").trim().split(/\n\s*\n/)[0]!.replace(/\s*\n\s*/g, " ");
}

/** `a function or an LRScheduler` → `functions or LRSchedulers`. */
function plural(what: string): string {
  return what.split(" or ").map((w) => `${w.replace(/^an? /, "")}s`).join(" or ");
}

const FUNCTION_KINDS = new Set(["fnOrConstructor", "typeLiteral"]);

/**
 * Classifies a doc type node: what values it accepts, its literals, or why a form cannot hold it.
 *
 * @param type The node.
 * @param index Where to resolve type aliases.
 * @returns The field type.
 */
export function classify(type: DocType | undefined, index: DocIndex): FieldType {
  const accepts = new Set<string>();
  const literals: (string | number | boolean)[] = [];
  const unsupported: string[] = [];
  const seen = new Set<string>();
  const visit = (t: DocType | undefined): void => {
    if (t === undefined) return void unsupported.push("no type");
    const v = t.value as Record<string, unknown> | string | DocType[] | undefined;
    switch (t.kind) {
      case "keyword":
        if (v === "undefined" || v === "void") return;
        if (v === "number" || v === "bigint" || v === "boolean" || v === "string" || v === "null") {
          accepts.add(v);
          return;
        }
        if (v === "unknown" || v === "any") {
          for (const k of ["number", "boolean", "string", "null", "array", "object"]) {
            accepts.add(k);
          }
          return;
        }
        return void unsupported.push(String(v));
      case "literal": {
        const lit = v as { kind: string; string?: string; number?: number; boolean?: boolean };
        const value = lit.kind === "string"
          ? lit.string
          : lit.kind === "number"
          ? lit.number
          : lit.boolean;
        if (value !== undefined) literals.push(value);
        return;
      }
      case "union":
        for (const m of v as DocType[]) visit(m);
        return;
      case "parenthesized":
        return visit(v as unknown as DocType);
      case "typeOperator":
        return visit((v as { tsType: DocType }).tsType);
      case "array":
      case "tuple": {
        // An array of values a form can hold (numbers, pairs), not of functions or schedulers.
        const items = t.kind === "array" ? [v as unknown as DocType] : v as DocType[];
        const bad = items.map((i) => classify(i, index)).find((i) => i.unsupported);
        if (bad) return void unsupported.push(`an array of ${plural(bad.unsupported!)}`);
        accepts.add("array");
        return;
      }
      case "typeRef": {
        const ref = v as { typeName: string; typeParams?: DocType[] };
        const name = ref.typeName;
        if (name === "Array" || name === "ReadonlyArray") {
          return visit({ kind: "array", value: ref.typeParams?.[0] });
        }
        if (name === "Readonly") return visit(ref.typeParams?.[0]);
        // An object type built from another (`Omit<Options, "dtype">`): typed as JSON.
        if (["Record", "Omit", "Pick", "Partial", "Required"].includes(name)) {
          return void accepts.add("object");
        }
        const alias = index.get(name, "typeAlias");
        if (alias && !seen.has(name)) {
          seen.add(name);
          return visit((alias.def as { tsType?: DocType } | undefined)?.tsType);
        }
        return void unsupported.push(`${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}`);
      }
      default:
        if (FUNCTION_KINDS.has(t.kind) && t.kind === "fnOrConstructor") {
          return void unsupported.push("a function");
        }
        if (t.kind === "typeLiteral") return void accepts.add("object");
        return void unsupported.push(t.repr ?? t.kind);
    }
  };
  visit(type);
  const out: FieldType = { repr: typeText(type), accepts: [...accepts], literals };
  // A union with a form-able member is form-able (a scale function *or* a number: the number).
  if (accepts.size === 0 && literals.length === 0) {
    out.unsupported = unsupported.join(" or ") || "no value";
  }
  return out;
}

/** A type as text (`number | readonly number[]`). */
export function typeText(t: DocType | undefined): string {
  if (t === undefined) return "unknown";
  if (t.repr) {
    if (t.kind === "literal" && typeof (t.value as { string?: string }).string === "string") {
      return JSON.stringify(t.repr);
    }
    if (t.kind !== "typeRef" || !(t.value as { typeParams?: DocType[] }).typeParams) return t.repr;
  }
  const v = t.value as Record<string, unknown> | DocType[] | undefined;
  switch (t.kind) {
    case "union":
      return (v as DocType[]).map(typeText).join(" | ");
    case "array":
      return `${typeText(v as unknown as DocType)}[]`;
    case "typeOperator": {
      const o = v as { operator: string; tsType: DocType };
      return `${o.operator} ${typeText(o.tsType)}`;
    }
    case "typeRef": {
      const r = v as { typeName: string; typeParams?: DocType[] };
      return r.typeParams ? `${r.typeName}<${r.typeParams.map(typeText).join(", ")}>` : r.typeName;
    }
    case "fnOrConstructor":
      return "function";
    default:
      return t.kind;
  }
}

/**
 * The fields of an options interface, base interfaces' first (an interface's own property
 * overrides an inherited one of the same name).
 *
 * @param name The interface.
 * @param index The docs.
 * @returns The fields.
 * @throws {Error} If the docs have no such interface.
 */
export function interfaceFields(name: string, index: DocIndex): FieldSpec[] {
  const decl = index.get(name, "interface");
  if (!decl) throw new Error(`the docs have no interface ${name}`);
  const def = decl.def as {
    extends?: DocType[];
    properties?: {
      name: string;
      optional?: boolean;
      jsDoc?: DocJs;
      tsType?: DocType;
    }[];
  };
  const fields = new Map<string, FieldSpec>();
  for (const base of def.extends ?? []) {
    const baseName = (base.value as { typeName?: string } | undefined)?.typeName ?? base.repr;
    if (baseName === "Omit" || baseName === "Pick" || baseName === undefined) continue;
    if (!index.get(baseName, "interface")) continue;
    for (const f of interfaceFields(baseName, index)) fields.set(f.name, f);
  }
  for (const p of def.properties ?? []) {
    // `@default` tags; generated config interfaces say "Default: `40000`." in the text.
    const text = (p.jsDoc?.doc ?? "").trim();
    const dflt = p.jsDoc?.tags?.find((t) => t.kind === "default")?.value ??
      /Default: `(.*)`\.?$/.exec(text)?.[1];
    fields.set(p.name, {
      owner: name,
      name: p.name,
      doc: text.replace(/\s*Default: `.*`\.?$/, ""),
      optional: p.optional === true,
      ...(dflt !== undefined ? { default: dflt.trim() } : {}),
      type: classify(p.tsType, index),
    });
  }
  return [...fields.values()];
}

/** The classes a class extends, transitively, by name. */
function ancestry(name: string, index: DocIndex): string[] {
  const out: string[] = [];
  let cur: string | undefined = name;
  while (cur !== undefined && out.length < 16) {
    const decl = index.get(cur, "class");
    const ext = (decl?.def as { extends?: string } | undefined)?.extends;
    if (!ext) break;
    out.push(ext);
    cur = ext;
  }
  return out;
}

/** How a family picks its schedules from the docs and which options the page supplies. */
export interface ScheduleFilter {
  /** Keep a schedule whose `is` list (return type, or base classes) includes one of these. */
  is: readonly string[];
  /** Options the page supplies itself (an optimizer), not on the form. */
  supplied: readonly string[];
  /**
   * Schedules to leave out, with the reason shown on the page.
   * @default {{}}
   */
  exclude?: Readonly<Record<string, string>>;
}

/**
 * The schedules of a family's docs: every exported class or function whose one parameter is an
 * options interface of the docs and which `filter.is` accepts. Those with a required option the
 * form cannot hold (a function, a scheduler) are listed in `unlisted` with the reason.
 *
 * @param json The `deno doc --json` output of the family's entry point.
 * @param filter Which schedules, which options the page supplies.
 * @param interfaces Interfaces to include by name (a config's keys).
 * @returns The family's schema.
 */
export function familySchema(
  json: DocJson,
  filter: ScheduleFilter,
  interfaces: readonly string[] = [],
): FamilySchema {
  const index = new DocIndex(json);
  const schedules: ScheduleSpec[] = [];
  const unlisted: Unlisted[] = [];
  for (const name of index.names()) {
    const cls = index.get(name, "class");
    const fn = index.get(name, "function");
    const decl = cls ?? fn;
    if (!decl) continue;
    const params = cls
      ? (cls.def as { constructors?: { params?: { tsType?: DocType }[] }[] }).constructors?.[0]
        ?.params
      : (fn!.def as { params?: { tsType?: DocType }[] }).params;
    if (!params || params.length !== 1) continue;
    const param = params[0]!.tsType;
    const options = param?.kind === "typeRef"
      ? (param.value as { typeName: string }).typeName
      : undefined;
    if (options === undefined || !index.get(options, "interface")) continue;
    const is = cls
      ? [name, ...ancestry(name, index)]
      : [typeText((fn!.def as { returnType?: DocType }).returnType)];
    if (!is.some((x) => filter.is.includes(x))) continue;
    const excluded = filter.exclude?.[name];
    if (excluded !== undefined) {
      unlisted.push({ name, why: excluded });
      continue;
    }
    const fields = interfaceFields(options, index).filter((f) => !filter.supplied.includes(f.name));
    const blocked = fields.find((f) => !f.optional && f.type.unsupported !== undefined);
    if (blocked) {
      unlisted.push({ name, why: `\`${blocked.name}\` is ${blocked.type.unsupported}` });
      continue;
    }
    schedules.push({
      name,
      kind: cls ? "class" : "function",
      options,
      summary: firstParagraph(decl.jsDoc?.doc),
      fields: fields.filter((f) => f.type.unsupported === undefined),
      is,
    });
  }
  const named: Record<string, FieldSpec[]> = {};
  for (const name of interfaces) named[name] = interfaceFields(name, index);
  return { summary: firstParagraph(index.moduleDoc), schedules, unlisted, interfaces: named };
}
