import type { ChosenLabel, SuggestChoices, SuggestedRow, SuggestHostMessage, SuggestPageMessage } from '../../server/src/protocol';
import { clear, el, field, fmt, hostChannel, problemsBox, t } from './dom';

/**
 * The "Suggest Rows to Label" page: how to rank (picks, strategy, all rows, density), the ranked rows
 * with the model's guess, and per row a choice: skip (the default), the guess, or another label. Apply
 * sends the chosen labels; the host writes them as one WorkspaceEdit.
 */
const vscode = hostChannel<SuggestPageMessage>();
const app = document.getElementById('app')!;
const form = el('form', { class: 'form', id: 'suggest-form' });
const status = el('div', { class: 'status', id: 'status', 'aria-live': 'polite' });
const list = el('section', { id: 'list' });
const rankButton = el('button', { type: 'button', id: 'rank' }, t('Rank rows'));
const acceptAll = el('button', { type: 'button', id: 'accept-all' }, t('Accept every guess'));
const applyButton = el('button', { type: 'button', id: 'apply', class: 'primary' }, t('Apply'));
let choices: SuggestChoices;
/** The chosen label per line ('' : skip). */
const chosen = new Map<number, string>();
let rows: SuggestedRow[] = [];
let multiLabel = false;

const shown = (label: string | string[] | null) => (label === null ? t('(none)') : Array.isArray(label) ? `[${label.join(', ')}]` : label);
/** A choice as the select holds it: a label, or a label set as JSON. */
const encode = (label: string | string[]) => (Array.isArray(label) ? JSON.stringify(label) : label);

function updateApply(): void {
  const n = [...chosen.values()].filter(Boolean).length;
  applyButton.disabled = n === 0;
  applyButton.textContent = n ? t('Apply {0} labels', n) : t('Apply');
}

function rank(): void {
  status.textContent = t('Ranking rows…');
  applyButton.disabled = true;
  vscode.postMessage({ type: 'rank', choices });
}

function buildForm(): void {
  const n = el('input', { id: 'n', type: 'number', min: 1, max: 1000, value: choices.n });
  n.addEventListener('input', () => (choices.n = Math.max(1, Math.min(1000, Math.floor(Number(n.value)) || 50))));
  const strategy = el('select', { id: 'strategy' }, ...(['margin', 'entropy', 'least-confidence'] as const).map((s) => el('option', { value: s }, s)));
  strategy.value = choices.strategy;
  strategy.addEventListener('change', () => (choices.strategy = strategy.value as SuggestChoices['strategy']));
  const all = el('input', { id: 'all', type: 'checkbox' });
  all.checked = choices.all;
  all.addEventListener('change', () => (choices.all = all.checked));
  const density = el('input', { id: 'density', type: 'checkbox' });
  density.checked = choices.density;
  density.addEventListener('change', () => (choices.density = density.checked));
  clear(
    form,
    field(t('Rows'), n),
    field(t('Uncertainty'), strategy, t('margin: the gap between the two likeliest labels')),
    field(t('Labelled rows too'), all, t('to review labels')),
    field(t('Weight by density'), density, t('one-off outliers do not crowd the list')),
  );
}

function rowView(r: SuggestedRow, labels: string[]): HTMLTableRowElement {
  const select = el('select', { class: 'choice', 'data-line': r.line, 'aria-label': t('Label for line {0}', r.line) },
    el('option', { value: '' }, t('skip')),
    el('option', { value: encode(r.guess) }, t('{0} (guess)', shown(r.guess))),
    ...(multiLabel ? [] : labels.filter((l) => l !== r.guess).map((l) => el('option', { value: l }, l))));
  select.value = chosen.get(r.line) ?? '';
  const tr = el('tr', { 'data-line': r.line });
  const mark = () => tr.classList.toggle('accepted', select.value !== '');
  select.addEventListener('change', () => {
    chosen.set(r.line, select.value);
    mark();
    updateApply();
  });
  const accept = el('button', { type: 'button', class: 'accept' }, t('Accept'));
  accept.addEventListener('click', () => {
    select.value = encode(r.guess);
    select.dispatchEvent(new Event('change'));
  });
  const line = el('a', { class: 'line', tabindex: 0 }, String(r.line));
  line.addEventListener('click', () => vscode.postMessage({ type: 'reveal', line: r.line }));
  const probs = Object.entries(r.probabilities).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([l, p]) => `${l} ${p.toFixed(2)}`).join(' · ');
  tr.append(
    el('td', { class: 'num' }, line),
    el('td', { class: 'text' }, r.text),
    el('td', {}, shown(r.label)),
    el('td', {}, shown(r.guess), el('div', { class: 'probs' }, probs)),
    el('td', { class: 'num' }, r.score.toFixed(3)),
    el('td', {}, select, ' ', accept),
  );
  mark();
  return tr;
}

function showRows(result: Extract<SuggestHostMessage, { type: 'rows' }>['result']): void {
  rows = result.rows;
  multiLabel = result.multiLabel;
  chosen.clear();
  status.textContent = result.rows.length
    ? t('{0} rows ranked, most uncertain first ({1} without a label in the file)', fmt(result.rows.length), fmt(result.unlabelledRows))
    : choices.all ? t('No row to rank.') : t('Every readable row has a label: tick "Labelled rows too" to review them.');
  clear(
    list,
    result.weak ? el('p', { class: 'warning' }, t('The model does no better than always guessing the commonest label: its guesses are weak.')) : null,
    result.rows.length
      ? el('table', { class: 'grid', id: 'rows' },
        el('thead', {}, el('tr', {}, el('th', {}, t('line')), el('th', {}, t('text')), el('th', {}, t('label')), el('th', {}, t('model\'s guess')), el('th', { class: 'num' }, t('uncertainty')), el('th', {}, t('your label')))),
        el('tbody', {}, ...result.rows.map((r) => rowView(r, result.labels))))
      : null,
  );
  updateApply();
}

rankButton.addEventListener('click', rank);
acceptAll.addEventListener('click', () => {
  for (const s of list.querySelectorAll<HTMLSelectElement>('select.choice')) {
    const row = rows.find((r) => r.line === Number(s.dataset.line));
    if (!row) continue;
    s.value = encode(row.guess);
    s.dispatchEvent(new Event('change'));
  }
});
applyButton.addEventListener('click', () => {
  const labels: ChosenLabel[] = [...chosen].filter(([, v]) => v !== '').map(([line, v]) => ({ line, label: v.startsWith('[') && multiLabel ? (JSON.parse(v) as string[]) : v }));
  if (!labels.length) return;
  status.textContent = t('Applying…');
  vscode.postMessage({ type: 'apply', labels });
});

window.addEventListener('message', (event: MessageEvent<SuggestHostMessage>) => {
  const m = event.data;
  if (m.type === 'init') {
    choices = m.defaults;
    clear(app, el('h1', {}, t('Rows to label in '), el('code', {}, m.file)), form, el('div', { class: 'actions' }, rankButton, acceptAll, applyButton, status), list);
    buildForm();
    rank();
  } else if (m.type === 'rows') showRows(m.result);
  else if (m.type === 'problems') {
    status.textContent = '';
    list.querySelectorAll('.problems').forEach((n) => n.remove());
    list.prepend(problemsBox(m.problems));
  } else if (m.type === 'applied') {
    for (const [line, v] of chosen) {
      if (!v) continue;
      const tr = list.querySelector(`tr[data-line="${line}"]`);
      tr?.classList.add('applied');
      tr?.querySelectorAll('select, button').forEach((c) => ((c as HTMLSelectElement).disabled = true));
    }
    chosen.clear();
    updateApply();
    status.textContent = t('Wrote {0} labels into the file (Undo restores them).', m.count);
  }
});

vscode.postMessage({ type: 'ready' });
