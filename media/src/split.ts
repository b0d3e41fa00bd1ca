import type { SplitChoices, SplitHostMessage, SplitPreview } from '../../server/src/protocol';
import { clear, el, field, fmt, formPage, t } from './dom';

/** The split panel's page: a form, a live preview of rows per split and label, and Write. */
const app = document.getElementById('app')!;
let choices: SplitChoices;
const page = formPage<SplitChoices>('split-form', t('Write split files'), () => choices);
const { form, preview, status, writeButton, changed } = page;

function numberInput(id: string, value: number, min: number, onChange: (v: number) => void): HTMLInputElement {
  const input = el('input', { id, type: 'number', min, value });
  input.addEventListener('input', () => onChange(Number(input.value)));
  return input;
}

function checkbox(id: string, checked: boolean, onChange: (v: boolean) => void): HTMLInputElement {
  const input = el('input', { id, type: 'checkbox' });
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  return input;
}

function select(id: string, options: string[], value: string, onChange: (v: string) => void): HTMLSelectElement {
  const s = el('select', { id }, ...options.map((o) => el('option', { value: o }, o || t('(none)'))));
  s.value = value;
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

function buildForm(fields: string[]): void {
  const ratios = el('input', { id: 'ratios', type: 'text', value: choices.ratios.join(', ') });
  ratios.addEventListener('input', () => {
    choices.ratios = ratios.value.split(/[,\s/]+/).filter(Boolean).map(Number);
    changed();
  });
  const mode = select('mode', ['ratios', 'folds'], choices.mode, (v) => {
    choices.mode = v as SplitChoices['mode'];
    changed();
  });
  const output = el('input', { id: 'output-folder', type: 'text', value: choices.outputFolder, placeholder: t('beside the source') });
  output.addEventListener('input', () => {
    choices.outputFolder = output.value;
    changed();
  });
  clear(
    form,
    field(t('Split by'), mode),
    field(t('Ratios'), ratios, t('e.g. 80, 10, 10 (train, val, test) or 90, 10')),
    field(t('Folds'), numberInput('folds', choices.folds, 2, (v) => ((choices.folds = v), changed()))),
    field(t('Seed'), numberInput('seed', choices.seed, 0, (v) => ((choices.seed = v), changed())), t('same seed, same split')),
    field(t('Stratify by label'), checkbox('stratify', choices.stratify, (v) => ((choices.stratify = v), changed()))),
    field(t('Keep exact duplicates together'), checkbox('group-duplicates', choices.groupDuplicates, (v) => ((choices.groupDuplicates = v), changed()))),
    field(t('Keep near-duplicates together'), checkbox('group-near-duplicates', choices.groupNearDuplicates, (v) => ((choices.groupNearDuplicates = v), changed())), t('runs the near-duplicate check once')),
    field(t('Keep rows sharing a field together'), select('group-field', ['', ...fields], choices.groupField, (v) => ((choices.groupField = v), changed())), t('e.g. a conversation or document id')),
    field(t('Split by date in field'), select('time-field', ['', ...fields], choices.timeField, (v) => ((choices.timeField = v), changed())), t('oldest rows first')),
    field(t('Output folder'), output),
  );
}

function showPreview(p: SplitPreview): void {
  status.textContent = t('{0} rows read', fmt(p.rows));
  const head = el('tr', {}, el('th', {}, t('split')), el('th', { class: 'num' }, t('rows')), ...p.labels.map((l) => el('th', { class: 'num' }, l)), el('th', { class: 'num' }, t('balance')), el('th', {}, t('file')));
  const body = p.splits.map((s) =>
    el('tr', { 'data-split': s.name },
      el('td', {}, s.name),
      el('td', { class: 'num' }, fmt(s.rows)),
      ...p.labels.map((l) => {
        const n = s.labels[l] ?? 0;
        return el('td', { class: 'num' }, `${fmt(n)} `, el('span', { class: 'share' }, s.rows ? `(${((100 * n) / s.rows).toFixed(1)}%)` : ''));
      }),
      el('td', { class: 'num' }, s.balanceIndex.toFixed(2)),
      el('td', { class: 'file' }, s.file)),
  );
  clear(
    preview,
    el('table', { class: 'grid', id: 'preview-table' }, el('thead', {}, head), el('tbody', {}, ...body)),
    p.groups.count ? el('p', {}, p.groups.moved
      ? t('{0} rows in {1} groups are kept whole (largest {2}); {3} rows moved to keep {4} groups whole that an ungrouped split would have cut.', fmt(p.groups.rows), fmt(p.groups.count), fmt(p.groups.largest), fmt(p.groups.moved), fmt(p.groups.straddling ?? 0))
      : t('{0} rows in {1} groups are kept whole (largest {2}).', fmt(p.groups.rows), fmt(p.groups.count), fmt(p.groups.largest))) : null,
    p.excluded.length ? el('details', {}, el('summary', {}, t(p.excluded.length === 1 ? '{0} row left out (listed in the manifest)' : '{0} rows left out (listed in the manifest)', fmt(p.excluded.length))), el('ul', {}, ...p.excluded.slice(0, 50).map((e) => el('li', {}, t('line {0}: {1}', e.line, e.reason))))) : null,
    ...p.warnings.map((w) => el('p', { class: 'warning' }, w)),
  );
}

window.addEventListener('message', (event: MessageEvent<SplitHostMessage>) => {
  const m = event.data;
  if (m.type === 'init') {
    choices = m.defaults;
    clear(app, el('h1', {}, t('Split '), el('code', {}, m.file)), el('p', { class: 'muted' }, t('{0} data', m.format)), form, el('div', { class: 'actions' }, writeButton, status), preview);
    buildForm(m.fields);
    page.requestPreview();
  } else if (m.type === 'preview') {
    page.previewShown();
    showPreview(m.preview);
  }
  else page.handleCommon(m);
});
