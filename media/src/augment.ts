import type { AugmentChoices, AugmentHostMessage, AugmentPreview, AugmentSample } from '../../server/src/protocol';
import { clear, el, field, fmt, formPage, t } from './dom';

/** The augment panel's page: operations and their strength, a preview of a sample of rows beside their source, class counts, Write. */
const app = document.getElementById('app')!;
let choices: AugmentChoices;
/** Operation names by code, as the host gave them. */
let operationNames: Record<string, string> = {};
let lastPreview: AugmentPreview | undefined;
const page = formPage<AugmentChoices>('augment-form', t('Write augmented file'), () => choices);
const { form, preview, status, writeButton, changed } = page;

function input(id: string, type: string, value: string | number, onChange: (v: string) => void, attrs: Record<string, string | number> = {}): HTMLInputElement {
  const i = el('input', { id, type, value, ...attrs });
  i.addEventListener('input', () => onChange(i.value));
  return i;
}

function buildForm(operations: Record<string, string>): void {
  const ops = el('div', { class: 'ops' }, ...Object.entries(operations).map(([op, name]) => {
    const box = el('input', { type: 'checkbox', id: `op-${op}`, value: op });
    box.checked = choices.operations.includes(op as AugmentChoices['operations'][number]);
    box.addEventListener('change', () => {
      choices.operations = [...ops.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value as AugmentChoices['operations'][number]);
      changed();
    });
    return el('label', { class: 'op' }, box, ` ${name}`);
  }));
  const balance = el('select', { id: 'balance' },
    el('option', { value: 'none' }, t('No: n new rows per row')),
    el('option', { value: 'majority' }, t('Grow minority labels to the majority')),
    el('option', { value: 'target' }, t('Grow minority labels to a count')),
    el('option', { value: 'downsample' }, t('Shrink majority labels instead')));
  balance.value = choices.balance;
  balance.addEventListener('change', () => ((choices.balance = balance.value as AugmentChoices['balance']), changed()));
  clear(
    form,
    field(t('Operations'), ops, t('EDA: synonyms come from WordNet; stopwords are never replaced or deleted')),
    field(t('α (share of words changed)'), input('alpha', 'number', choices.alpha, (v) => ((choices.alpha = Number(v)), changed()), { min: 0, max: 1, step: 0.05 })),
    field(t('New rows per row (n)'), input('n', 'number', choices.n, (v) => ((choices.n = Number(v)), changed()), { min: 1, max: 50 })),
    field(t('Balance labels'), balance),
    field(t('Target count'), input('target', 'number', choices.target, (v) => ((choices.target = Number(v)), changed()), { min: 0 }), t('with "to a count"')),
    field(t('Seed'), input('seed', 'number', choices.seed, (v) => ((choices.seed = Number(v)), changed()), { min: 0 }), t('same seed, same rows')),
    field(t('Provenance field'), input('provenance', 'text', choices.provenanceField, (v) => ((choices.provenanceField = v), changed())), t('records the source line; empty for none')),
  );
}

/** The new text with the changed words wrapped in <mark>, all as text nodes. */
function highlighted(s: AugmentSample): HTMLElement {
  const out = el('div', { class: 'text augmented' });
  let at = 0;
  for (const span of [...s.changed].sort((a, b) => a.start - b.start)) {
    if (span.start < at) continue;
    out.append(document.createTextNode(s.augmented.slice(at, span.start)), el('mark', {}, s.augmented.slice(span.start, span.end)));
    at = span.end;
  }
  out.append(document.createTextNode(s.augmented.slice(at)));
  return out;
}

function counts(p: AugmentPreview): HTMLElement {
  const labels = [...new Set([...Object.keys(p.before), ...Object.keys(p.after)])];
  return el('table', { class: 'grid', id: 'label-counts' },
    el('thead', {}, el('tr', {}, el('th', {}, t('label')), el('th', { class: 'num' }, t('before')), el('th', { class: 'num' }, t('after (planned)')))),
    el('tbody', {}, ...labels.map((l) => el('tr', { 'data-label': l }, el('td', {}, l), el('td', { class: 'num' }, fmt(p.before[l] ?? 0)), el('td', { class: 'num' }, fmt(p.after[l] ?? 0))))));
}

/** New rows of the sample per operation, each with a toggle that leaves that operation's rows out of the write. */
function perOperation(p: AugmentPreview): HTMLElement {
  const rejected = new Set(choices.rejected ?? []);
  return el('table', { class: 'grid', id: 'by-operation' },
    el('thead', {}, el('tr', {}, el('th', {}, t('operation')), el('th', { class: 'num' }, t('new rows in the preview')), el('th', {}, t('reject')))),
    el('tbody', {}, ...Object.entries(p.byOperation).map(([op, n]) => {
      const box = el('input', { type: 'checkbox', id: `reject-${op}`, value: op });
      box.checked = rejected.has(op as AugmentChoices['operations'][number]);
      box.addEventListener('change', () => {
        const now = new Set(choices.rejected ?? []);
        if (box.checked) now.add(op as AugmentChoices['operations'][number]);
        else now.delete(op as AugmentChoices['operations'][number]);
        choices.rejected = [...now];
        // The rows stay as previewed: a rejected operation's rows are only left out of the write.
        if (lastPreview) showPreview(lastPreview);
      });
      return el('tr', { 'data-operation': op }, el('td', {}, operationNames[op] ?? op), el('td', { class: 'num' }, fmt(n)), el('td', {}, el('label', {}, box, ` ${t('leave out of the write')}`)));
    })));
}

function showPreview(p: AugmentPreview): void {
  lastPreview = p;
  const rejected = new Set<string>(choices.rejected ?? []);
  const allRejected = Object.keys(p.byOperation).length > 0 && Object.keys(p.byOperation).every((op) => rejected.has(op));
  writeButton.disabled = allRejected;
  status.textContent = t('{0} new rows planned → {1}', fmt(p.newRows), p.output);
  // The rows below, the unchanged rows and the leaks come from a sample; Write augments every row.
  const sampled = p.sampled < p.rows ? t('Preview of {0} of {1} rows, spread over the file; Write augments them all.', fmt(p.sampled), fmt(p.rows)) : t('Preview of all {0} rows.', fmt(p.rows));
  clear(
    preview,
    counts(p),
    perOperation(p),
    allRejected ? el('p', { class: 'warning', id: 'all-rejected' }, t('Every operation is rejected: nothing would be written. Untick one to write.')) : null,
    el('p', { class: 'hint', id: 'sample-note' }, sampled),
    el('table', { class: 'grid samples', id: 'samples' },
      el('thead', {}, el('tr', {}, el('th', {}, t('line')), el('th', {}, t('original')), el('th', {}, t('augmented')))),
      el('tbody', {}, ...p.samples.map((s) => el('tr', rejected.has(s.code) ? { class: 'rejected', title: t('rejected: not written') } : {},
        el('td', { class: 'num' }, String(s.line), el('div', { class: 'hint' }, s.operation), s.label !== undefined ? el('div', { class: 'hint' }, s.label) : null),
        el('td', {}, el('div', { class: 'text' }, s.original)),
        el('td', {}, highlighted(s)))))),
    p.unchanged.length ? el('details', {}, el('summary', {}, t('{0} rows could not be changed', fmt(p.unchanged.length))), el('ul', {}, ...p.unchanged.slice(0, 30).map((u) => el('li', {}, t('line {0}: {1}', u.line, u.reason))))) : null,
    p.leaks ? el('p', { class: 'warning' }, t('{0} new rows equal a validation/test row and will not be written.', fmt(p.leaks))) : null,
    ...p.warnings.map((w) => el('p', { class: 'warning' }, w)),
  );
}

window.addEventListener('message', (event: MessageEvent<AugmentHostMessage>) => {
  const m = event.data;
  if (m.type === 'init') {
    choices = m.defaults;
    operationNames = m.operations;
    clear(app,
      el('h1', {}, t('Augment '), el('code', {}, m.file)),
      el('p', { class: 'muted' }, t('{0} data', m.format) + (m.trainOnly ? t(' · the train split of {0}; new rows are checked against its validation and test splits', m.trainOnly) : '')),
      form, el('div', { class: 'actions' }, writeButton, status), preview);
    buildForm(m.operations);
    page.requestPreview();
  } else if (m.type === 'preview') {
    page.previewShown();
    showPreview(m.preview);
  }
  else page.handleCommon(m);
});
