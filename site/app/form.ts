/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The form of one curve: the family and schedule pickers, then one field per documented option
 * (placeholder: its `@default`; beside it, the library's error when the value is rejected),
 * sliders for numbers, and text areas and uploads for config files (browser only).
 *
 * @module
 */

import type { Family, Field, ScheduleDef } from "../families/family.ts";
import type { SiteSchema } from "../schema.ts";
import type { CurveState } from "../state.ts";
import { docPlain, docText, h, readFileText } from "./dom.ts";

/** The longest choice a select shows beside its label (longer ones: under it, full width). */
const WIDE_CHOICE = 22;

/** What the form reports. */
export interface FormEvents {
  /** A field's text changed (typing, a slider, a select, a dropped file). */
  value(name: string, text: string): void;
  /** Several fields changed at once (a file loaded into a text area and its name). */
  values(texts: Record<string, string>): void;
  /** The uploaded files changed. */
  files(files: Record<string, string>): void;
  /**
   * Another schedule was picked; `carry`: the same-named fields the user changed keep their texts
   * (another member of a {@linkcode ScheduleDef.variant} set).
   */
  schedule(id: string, carry?: boolean): void;
}

/** A slider's value as text: 6 significant digits, floats keep their decimal point. */
export function sliderText(value: number, float: boolean): string {
  const text = String(Number(value.toPrecision(6)));
  return float && /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** A documented default as the form shows it: `"cos"` as `cos`, `{MAX_ITER + 1}` as `MAX_ITER + 1`. */
function shown(dflt: string): string {
  if (/^"[^"]*"$/.test(dflt)) return dflt.slice(1, -1);
  if (/^\{.*\}$/.test(dflt)) return dflt.slice(1, -1);
  return dflt;
}

/** The form of the selected curve. */
export class Form {
  readonly #box: HTMLElement;
  readonly #defs: Map<string, ScheduleDef>;
  readonly #families: readonly Family[];
  readonly #schema: SiteSchema;
  readonly #events: FormEvents;
  #errors = new Map<string, HTMLElement>();
  #general: HTMLElement | undefined;
  #inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
  #sliders = new Map<string, HTMLInputElement>();

  /**
   * @param box The container.
   * @param defs Every schedule, by id.
   * @param families The families (for the pickers).
   * @param schema The docs' forms (what is left off).
   * @param events Where changes go.
   */
  constructor(
    box: HTMLElement,
    defs: Map<string, ScheduleDef>,
    families: readonly Family[],
    schema: SiteSchema,
    events: FormEvents,
  ) {
    this.#box = box;
    this.#defs = defs;
    this.#families = families;
    this.#schema = schema;
    this.#events = events;
  }

  /**
   * Builds the form of a curve.
   *
   * @param curve The curve's state.
   * @param title Its letter and color, for the heading.
   */
  show(curve: CurveState, title: { letter: string; color: string }): void {
    const def = this.#defs.get(curve.id)!;
    this.#errors.clear();
    this.#inputs.clear();
    this.#sliders.clear();
    const family = this.#families.find((f) => f.id === def.family)!;
    const familySelect = h(
      "select",
      {
        id: "family",
        "aria-label": "framework",
        onchange: (e: Event) => {
          const id = (e.target as HTMLSelectElement).value;
          const fam = this.#families.find((f) => f.id === id)!;
          const ids = [...this.#defs.values()].filter((d) => d.family === id).map((d) => d.id);
          const first = ids.find((d) => d === `${id}/${fam.first}`) ?? ids[0];
          if (first) this.#events.schedule(first);
        },
      },
      this.#families.filter((f) => [...this.#defs.values()].some((d) => d.family === f.id)).map((
        f,
      ) => h("option", { value: f.id, selected: f.id === def.family }, f.title)),
    );
    const scheduleSelect = h(
      "select",
      {
        id: "schedule",
        "aria-label": "schedule",
        onchange: (e: Event) => {
          const id = (e.target as HTMLSelectElement).value;
          // Wrapping the schedule shown, or unwrapping it, keeps the options the user changed.
          const next = this.#defs.get(id);
          this.#events.schedule(
            id,
            next?.variant?.choice === def.name || def.variant?.choice === next?.name,
          );
        },
      },
      this.#scheduleOptions(def),
    );
    const unlisted = this.#schema.families[family.id]?.unlisted ?? [];
    this.#general = h("div", { class: "error general", hidden: true, role: "alert" });
    const fields = [
      ...(def.variant ? [this.#variantField(def.variant)] : []),
      ...def.fields.map((f) => this.#field(f, curve)),
    ];
    this.#box.replaceChildren(
      h(
        "div",
        { class: "form-head" },
        h("span", { class: "letter", style: `background:${title.color}` }, title.letter),
        h("label", {}, "Framework ", familySelect),
        h("label", { class: "schedule-pick" }, "Schedule ", scheduleSelect),
      ),
      h("p", { class: "upstream" }, docText(family.upstream)),
      h("p", { class: "summary" }, docText(def.summary)),
      this.#general,
      h("div", { class: "fields" }, fields),
      unlisted.length
        ? h(
          "details",
          { class: "unlisted" },
          h("summary", {}, `Not on the form: ${unlisted.map((u) => u.name).join(", ")}`),
          h(
            "ul",
            {},
            unlisted.map((u) => h("li", {}, h("code", {}, u.name), ": ", docText(u.why))),
          ),
        )
        : "",
    );
  }

  /** The Schedule list of a family: a set of variants once, by its group's name. */
  #scheduleOptions(def: ScheduleDef): HTMLOptionElement[] {
    const out: HTMLOptionElement[] = [];
    const groups = new Set<string>();
    for (const d of this.#defs.values()) {
      if (d.family !== def.family) continue;
      const group = d.variant?.group;
      if (group === undefined) {
        out.push(h("option", { value: d.id, selected: d.id === def.id }, d.name));
      } else if (!groups.has(group)) {
        groups.add(group);
        // The member shown, else the one around the schedule shown, else the first.
        const mine = def.variant?.group === group;
        const around = d.variant!.choices[def.name];
        out.push(
          h("option", { value: mine ? def.id : around ?? d.id, selected: mine }, group),
        );
      }
    }
    return out;
  }

  /** The field that picks a member of a variant set (optax's `scheduleFn`). */
  #variantField(variant: NonNullable<ScheduleDef["variant"]>): HTMLElement {
    const id = `field-${variant.field.name}`;
    const select = h(
      "select",
      {
        id,
        name: variant.field.name,
        onchange: () => this.#events.schedule(variant.choices[select.value]!, true),
      },
      Object.keys(variant.choices).map((c) =>
        h("option", { value: c, selected: c === variant.choice }, c)
      ),
    );
    return h(
      "div",
      { class: "field required variant wide", "data-name": variant.field.name },
      h(
        "label",
        { for: id, title: docPlain(variant.field.doc) },
        h("code", {}, variant.field.name),
      ),
      h("div", { class: "control" }, select),
      h("div", { class: "doc" }, docText(variant.field.doc)),
    );
  }

  /** One field: label, input (and slider), default, doc, error. */
  #field(f: Field, curve: CurveState): HTMLElement {
    const id = `field-${f.name}`;
    const text = curve.values[f.name] ?? "";
    const error = h("div", { class: "error", hidden: true, role: "alert", "data-field": f.name });
    this.#errors.set(f.name, error);
    const changed = (value: string) => this.#events.value(f.name, value);
    let input: HTMLElement;
    const extra: HTMLElement[] = [];
    if (f.control === "select") {
      const select = h(
        "select",
        { id, name: f.name, onchange: () => changed(select.value) },
        (f.choices ?? [""]).map((c) =>
          h(
            "option",
            { value: c, selected: c === text },
            c === "" ? `default${f.default ? `: ${shown(f.default)}` : ""}` : c,
          )
        ),
      );
      this.#inputs.set(f.name, select);
      input = select;
    } else if (f.control === "textarea") {
      const area = h("textarea", {
        id,
        name: f.name,
        rows: 9,
        spellcheck: "false",
        value: text,
        oninput: () => changed(area.value),
      });
      this.#inputs.set(f.name, area);
      const load = async (file: File) => {
        const body = await readFileText(file);
        area.value = body;
        const texts: Record<string, string> = { [f.name]: body };
        const fileInput = this.#inputs.get("file"); // the file's name, where the form has one
        if (fileInput) fileInput.value = texts.file = file.name;
        this.#events.values(texts);
      };
      area.addEventListener("dragover", (e) => e.preventDefault());
      area.addEventListener("drop", (e) => {
        e.preventDefault();
        const file = e.dataTransfer?.files[0];
        if (file) void load(file);
      });
      const upload = h("input", {
        type: "file",
        id: `${id}-upload`,
        class: "upload",
        onchange: () => {
          const file = upload.files?.[0];
          if (file) void load(file);
        },
      });
      extra.push(h("label", { class: "upload-label" }, "Open a file… ", upload));
      input = area;
    } else if (f.control === "files") {
      const list = h("ul", { class: "files" });
      const names = Object.keys(curve.files);
      const render = () =>
        list.replaceChildren(
          ...names.slice(0, 40).map((name) =>
            h(
              "li",
              {},
              h("code", {}, name),
              " ",
              h("button", {
                type: "button",
                class: "remove",
                title: `remove ${name}`,
                onclick: () => {
                  const files = { ...curve.files };
                  delete files[name];
                  this.#events.files(files);
                },
              }, "×"),
            )
          ),
          ...(names.length > 40 ? [h("li", {}, `… and ${names.length - 40} more`)] : []),
        );
      render();
      // Files picked one by one are kept by name; a folder's by their path in it (its layout is
      // what relative `_base_` paths resolve against), config files only.
      const add = async (picked: FileList | null, folder: boolean) => {
        const files = { ...curve.files };
        for (const file of picked ?? []) {
          const path = folder ? file.webkitRelativePath || file.name : file.name;
          if (folder && !/\.(py|ya?ml|json)$/i.test(path)) continue;
          files[path] = await readFileText(file);
        }
        this.#events.files(files);
      };
      const upload = h("input", {
        type: "file",
        id,
        multiple: true,
        onchange: async () => {
          await add(upload.files, false);
          upload.value = "";
        },
      });
      const folder = h("input", {
        type: "file",
        id: `${id}-folder`,
        class: "upload",
        webkitdirectory: true,
        onchange: async () => {
          await add(folder.files, true);
          folder.value = "";
        },
      });
      input = h(
        "div",
        { class: "files-box" },
        upload,
        h("label", { class: "upload-label" }, "or a folder… ", folder),
        list,
      );
    } else {
      const box = h("input", {
        id,
        name: f.name,
        type: "text",
        value: text,
        autocomplete: "off",
        spellcheck: "false",
        placeholder: f.default ? `default: ${shown(f.default)}` : f.required ? "required" : "",
        oninput: () => {
          changed(box.value);
          const slider = this.#sliders.get(f.name);
          const v = Number(box.value);
          if (slider && box.value.trim() !== "" && Number.isFinite(v)) slider.value = String(v);
        },
      });
      this.#inputs.set(f.name, box);
      input = box;
      if (f.slider) {
        const s = f.slider;
        const start = Number(text.trim() === "" ? f.default : text);
        const slider = h("input", {
          type: "range",
          class: "slider",
          "aria-label": `${f.name} slider`,
          "data-field": f.name,
          min: s.min,
          max: Math.max(s.max, Number.isFinite(start) ? start : s.max),
          step: s.step,
          value: Number.isFinite(start) ? start : s.min,
          oninput: () => {
            box.value = sliderText(Number(slider.value), s.float === true);
            changed(box.value);
          },
        });
        this.#sliders.set(f.name, slider);
        extra.push(slider);
      }
    }
    // A select whose choices do not fit beside the label gets the form's whole width.
    const wide = f.control === "select" &&
      (f.choices ?? []).some((c) => c.length > WIDE_CHOICE || shown(f.default ?? "").length > 16);
    return h(
      "div",
      {
        class: `field${f.page ? " page" : ""}${f.required ? " required" : ""}${
          wide ? " wide" : ""
        }`,
        "data-name": f.name,
      },
      h(
        "label",
        { for: id, title: docPlain(f.doc) },
        h("code", {}, f.label ?? f.name),
        f.page ? h("span", { class: "tag" }, "page") : null,
      ),
      h("div", { class: "control" }, input, ...extra),
      h("div", { class: "doc" }, docText(f.doc)),
      error,
    );
  }

  /**
   * Shows errors beside their fields (and one about the whole schedule above them).
   *
   * @param errors The errors; an empty list clears them.
   */
  errors(errors: readonly { field: string | undefined; message: string }[]): void {
    for (const el of this.#errors.values()) {
      el.hidden = true;
      el.textContent = "";
    }
    for (const el of this.#box.querySelectorAll(".field.invalid")) el.classList.remove("invalid");
    if (this.#general) {
      this.#general.hidden = true;
      this.#general.textContent = "";
    }
    for (const e of errors) {
      const el = (e.field && this.#errors.get(e.field)) || this.#general;
      if (!el) continue;
      el.textContent = e.message;
      el.hidden = false;
      if (e.field) {
        this.#box.querySelector(`.field[data-name="${CSS.escape(e.field)}"]`)?.classList.add(
          "invalid",
        );
      }
    }
  }
}
