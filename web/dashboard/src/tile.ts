// A tile's states: loading, empty, error, or its content. Each state is announced to screen readers.
import { ApiError } from "./api";

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: (Node | string | null)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== null) node.append(child);
  return node;
}

export class Tile {
  readonly section: HTMLElement;
  private readonly body: HTMLElement;
  private generation = 0;

  constructor(id: string) {
    this.section = document.getElementById(id)!;
    this.body = this.section.querySelector<HTMLElement>(".body")!;
  }

  /** Loads and renders; a later load supersedes an earlier one still in flight. */
  async load<T>(fetch: () => Promise<T>, render: (data: T) => Node | null, emptyText: string): Promise<void> {
    const generation = ++this.generation;
    this.setState("loading", "Loading…");
    try {
      const data = await fetch();
      if (generation !== this.generation) return;
      const content = render(data);
      if (content === null) this.setState("empty", emptyText);
      else {
        this.section.dataset.state = "ready";
        this.section.setAttribute("aria-busy", "false");
        this.body.replaceChildren(content);
      }
    } catch (error) {
      if (generation !== this.generation) return;
      const message = error instanceof ApiError ? error.message : "This tile could not be shown.";
      this.setState("error", `Could not load: ${message}`);
      if (!(error instanceof ApiError)) console.error(error);
    }
  }

  private setState(state: "loading" | "empty" | "error", text: string): void {
    this.section.dataset.state = state;
    this.section.setAttribute("aria-busy", state === "loading" ? "true" : "false");
    this.body.replaceChildren(el("p", { class: state === "error" ? "state error" : "state", role: state === "error" ? "alert" : "status", text }));
  }
}

/** A definition list of headline figures, each with its raw value for whoever checks it. */
export function figures(items: [label: string, text: string, raw: string | number | null | undefined, name: string][]): HTMLElement {
  return el("dl", { class: "figures" }, ...items.map(([label, text, raw, name]) =>
    el("div", { "data-figure": name, "data-raw": raw === null || raw === undefined ? "" : String(raw) }, el("dt", { text: label }), el("dd", { text }))));
}

export function table(headers: { text: string; num?: boolean }[], rows: (string | Node)[][], caption?: string, kind?: "scroll"): HTMLElement {
  // A long table scrolls in its own box (keyboard users reach it: it takes focus).
  return el("div", kind ? { class: "table-wrap scroll", tabindex: "0", role: "region", "aria-label": caption ?? "Table" } : { class: "table-wrap" },
    el("table", {},
      caption ? el("caption", { class: "visually-hidden", text: caption }) : null,
      el("thead", {}, el("tr", {}, ...headers.map(h => el("th", { scope: "col", class: h.num ? "num" : undefined, text: h.text })))),
      el("tbody", {}, ...rows.map(row => el("tr", {}, ...row.map((cell, i) => el("td", { class: headers[i]?.num ? "num" : undefined }, cell)))))));
}
