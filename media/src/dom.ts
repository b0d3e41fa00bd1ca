/** Tiny DOM helpers for the panels' pages: every string becomes a text node, never markup. */

type Child = Node | string | number | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | number> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    if (k === 'class') node.className = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  return node;
}

export function clear(node: Element, ...children: Child[]): void {
  node.replaceChildren();
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
}

export const fmt = (n: number) => n.toLocaleString('en-US');

interface VsCodeApi<Message> {
  postMessage(message: Message): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi<Message>(): VsCodeApi<Message>;

/** The typed channel to the panel host. */
export function hostChannel<PageMessage>(): VsCodeApi<PageMessage> {
  return acquireVsCodeApi<PageMessage>();
}

/** Calls `fn` once things have been quiet for `ms` (previews follow the form without flooding the host). */
export function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

/** A labelled form field. */
export function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  return el('label', { class: 'field' }, el('span', { class: 'field-label' }, label), input, hint ? el('span', { class: 'hint' }, hint) : null);
}

export function problemsBox(problems: string[]): HTMLElement {
  return el('div', { class: 'problems', role: 'alert' }, ...problems.map((p) => el('div', {}, p)));
}
