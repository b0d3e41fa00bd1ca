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

/** The display language's strings, which the host puts on the page (English when it has none). */
const BUNDLE: Record<string, string> = typeof document === 'undefined' ? {} : JSON.parse(document.body?.dataset.l10n || '{}');

/** A page string in the display language, "{0}" placeholders filled in (vscode.l10n.t's contract). */
export function t(message: string, ...args: (string | number)[]): string {
  const s = BUNDLE[message] ?? message;
  return s.replace(/\{(\d+)\}/g, (whole, n: string) => (Number(n) < args.length ? String(args[Number(n)]) : whole));
}

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

/** The problems as sentences in a box the screen reader announces. */
export function problemsBox(problems: string[]): HTMLElement {
  return el('div', { class: 'problems', role: 'alert' }, ...problems.map((p) => el('div', {}, p.charAt(0).toUpperCase() + p.slice(1))));
}

/** What both form pages (split, augment) share: messages they exchange the same way with their host. */
type FormPageMessage<C> = { type: 'ready' } | { type: 'preview'; choices: C } | { type: 'write'; choices: C };
type CommonHostMessage = { type: 'problems'; problems: string[] } | { type: 'written'; files: string[] };

export interface FormPage {
  form: HTMLFormElement;
  preview: HTMLElement;
  status: HTMLElement;
  writeButton: HTMLButtonElement;
  /** Call after each change of the choices: the preview follows once typing pauses. */
  changed(): void;
  /** Asks the host for a preview now. */
  requestPreview(): void;
  /** Handles the host messages common to both pages; false when the page must handle it. */
  handleCommon(m: { type: string }): boolean;
  /** Call when a preview arrives: the choices are usable, so Write is enabled. */
  previewShown(): void;
}

/** The shared skeleton of a form page: a form, a Write button with a status line, and a live preview. */
export function formPage<C>(formId: string, writeLabel: string, choices: () => C): FormPage {
  const vscode = hostChannel<FormPageMessage<C>>();
  const form = el('form', { class: 'form', id: formId });
  const preview = el('section', { class: 'preview', id: 'preview', 'aria-live': 'polite' });
  const status = el('div', { class: 'status', id: 'status' });
  const writeButton = el('button', { type: 'button', id: 'write', class: 'primary' }, writeLabel);
  // Write is enabled only while the preview shows the current choices: not while one is on its way,
  // nor when the choices were refused (the problems box says what to type instead).
  let previewPending = false;
  const requestPreview = () => {
    previewPending = true;
    writeButton.disabled = true;
    vscode.postMessage({ type: 'preview', choices: choices() });
  };
  const later = debounce(requestPreview, 130);
  writeButton.addEventListener('click', () => {
    status.textContent = t('Writing…');
    vscode.postMessage({ type: 'write', choices: choices() });
  });
  vscode.postMessage({ type: 'ready' });
  return {
    form, preview, status, writeButton, requestPreview,
    changed() {
      status.textContent = t('Updating preview…');
      writeButton.disabled = true;
      later();
    },
    previewShown() {
      previewPending = false;
      writeButton.disabled = false;
    },
    handleCommon(message) {
      const m = message as CommonHostMessage;
      if (m.type === 'problems') {
        // Problems with the choices (a preview's answer) keep Write off until they change; a failed write leaves it on.
        status.textContent = previewPending ? t('Fix the choices above to write.') : '';
        previewPending = false;
        clear(preview, problemsBox(m.problems));
        return true;
      }
      if (m.type === 'written') {
        status.textContent = t('Wrote {0}', m.files.join(', '));
        status.setAttribute('data-written', m.files.join('\n'));
        return true;
      }
      return false;
    },
  };
}
