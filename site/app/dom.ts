/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * A few DOM helpers for the page (browser only).
 *
 * @module
 */

import { docParts } from "../fields.ts";

/** Attributes of {@linkcode h}: properties, `class`, `data-*`, `on*` listeners. */
export type Props = Record<string, unknown>;

/** A child of {@linkcode h}. */
export type Child = Node | string | number | null | undefined | false | Child[];

/**
 * Creates an element: `h("button", { class: "x", onclick: f }, "text")`.
 *
 * @param tag The tag.
 * @param props Attributes (strings), properties (`value`, `checked`), listeners (`on…`).
 * @param children Nodes and texts.
 * @returns The element.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") {
      el.addEventListener(k.slice(2), v as EventListener);
    } else if (k === "value" || k === "checked" || k === "selected" || k === "disabled") {
      (el as unknown as Record<string, unknown>)[k] = v;
    } else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** The element with this id (throws if missing: the page's HTML is fixed). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

/** Offers a text as a file download. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Reads a dropped or chosen file's text. */
export function readFileText(file: File): Promise<string> {
  return file.text();
}

/** Text with `code` spans for backquoted parts and `{@linkcode x}` links, as the docs write them. */
export function docText(text: string): Child[] {
  return docParts(text).map((part) => (part.code ? h("code", {}, part.text) : part.text));
}

/** Doc text as plain text (a tooltip): backquotes and `{@linkcode x}` reduced to their words. */
export function docPlain(text: string): string {
  return docParts(text).map((part) => part.text).join("");
}
