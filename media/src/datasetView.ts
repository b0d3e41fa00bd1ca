import type { DatasetRowAction, DatasetRowsQuery, DatasetRowsRequest, DatasetRowView, DatasetViewHostMessage, DatasetViewPageMessage } from '../../server/src/protocol';
import { clear, debounce, el, fmt, hostChannel, problemsBox, t } from './dom';
import { wordDiff } from './wordDiff';

/**
 * The dataset view's page: a table over the language server's rows. Only the rows in sight are in the
 * DOM, and only the pages around them are asked for (PAGE rows at a time); the filters go to the
 * server, which answers with the rows they select. Every dataset string is set as text. The actions
 * (delete, relabel, redact) act on the rows the filters select, or Delete on the selected row; the
 * host writes them into the document as one edit, which one Undo in the text editor takes back.
 */
type Answer = Exclude<DatasetRowsRequest.Result, null | { problems: string[] }>;

const PAGE = 200;
const ROW_HEIGHT = 26;
/** Rows drawn beyond the visible ones, above and below, so a small scroll shows no gap. */
const OVERSCAN = 10;

const vscode = hostChannel<DatasetViewPageMessage>();
const app = document.getElementById('app')!;

let query: DatasetRowsQuery = {};
/** The query's number: answers to an older one are dropped. */
let generation = 0;
let seq = 0;
const asked = new Map<number, { generation: number; page: number }>();
const pages = new Map<number, DatasetRowView[]>();
let matched = 0;
let total = 0;
/** The text the rows shown were read from (the document's version, -1 for the file on disk): actions name it. */
let shownVersion = -1;
let selected = -1;
/** The labels of the file, for the relabel box's suggestions. */
let labelNames: string[] = [];

const title = el('h1', {}, t('Rows'));
const counts = el('span', { id: 'counts', class: 'muted', 'aria-live': 'polite' });
const labelFilter = el('select', { id: 'label-filter', 'aria-label': t('Filter by label') });
const ruleFilter = el('select', { id: 'rule-filter', 'aria-label': t('Filter by rule') });
const search = el('input', { id: 'search', type: 'text', placeholder: t('Search text, label, fields'), 'aria-label': t('Search rows') });
const regex = el('input', { id: 'regex', type: 'checkbox', 'aria-label': t('Search as a regular expression') });
const severityFilter = el('select', { id: 'severity-filter', 'aria-label': t('Filter by severity') },
  el('option', { value: '' }, t('Any severity')), el('option', { value: 'error' }, t('Errors')), el('option', { value: 'warning' }, t('Warnings and worse')), el('option', { value: 'info' }, t('Information and worse')), el('option', { value: 'hint' }, t('Any finding')));
const clusterFilter = el('select', { id: 'cluster-filter', 'aria-label': t('Filter by near-duplicate cluster') });
const sort = el('select', { id: 'sort', 'aria-label': t('Order') },
  el('option', { value: 'line' }, t('File order')), el('option', { value: 'length-asc' }, t('Shortest first')), el('option', { value: 'length-desc' }, t('Longest first')),
  el('option', { value: 'label' }, t('By label')), el('option', { value: 'findings' }, t('Worst findings first')),
  el('option', { value: 'score' }, t('Lowest score first')), el('option', { value: 'text' }, t('By text')));
const problems = el('div', { id: 'query-problems' });
/**
 * The file's other fields shown as columns, at most, as many as the table's width leaves room for
 * (FIELD_WIDTH each beside the other columns at their least and the text at TEXT_ROOM): the text comes
 * first. All of a row's fields are in its side panel.
 */
const FIELD_COLUMNS = 3;
/** Other fields the order select offers, at most. */
const ORDER_FIELDS = 20;
const FIELD_WIDTH = 90;
/** Room the text keeps beyond its least width (140 px) before a field column is shown. */
const TEXT_ROOM = 80;
/** A column: its CSS grid track (`width`) and the least pixels it takes (`least`), what sorts it, what its cell shows. */
interface Column { name: string; width: string; least: number; sort?: DatasetRowsQuery['sort']; cell(row: DatasetRowView): Node | string; className?: string; field?: string }
/** The order select's value for a field column (the select's fixed orders are plain words). */
const fieldOrder = (name: string) => `field:${name}`;
/** The columns before the fields' and after them; a file without labels has no Label column. */
const LEADING: Column[] = [
  { name: t('Line'), width: '56px', least: 56, sort: 'line', cell: (r) => String(r.line), className: 'num' },
  { name: t('Label'), width: '100px', least: 100, sort: 'label', cell: (r) => r.label ?? '', className: 'label' },
  { name: t('Text'), width: 'minmax(140px, 2fr)', least: 140, sort: 'text', cell: (r) => r.text.replace(/\s+/g, ' '), className: 'text' },
];
const TRAILING: Column[] = [
  { name: t('Chars'), width: '52px', least: 52, sort: 'length-desc', cell: (r) => fmt(r.length), className: 'num' },
  { name: t('Tokens'), width: '60px', least: 60, cell: (r) => `${r.tokensEstimated ? '≈' : ''}${fmt(r.tokens)}`, className: 'num' },
  { name: t('Score'), width: '46px', least: 46, sort: 'score', cell: (r) => String(r.score), className: 'num score' },
  { name: t('Findings'), width: 'minmax(100px, 20%)', least: 100, sort: 'findings', cell: findingChips, className: 'findings' },
];
let columns: Column[] = [...LEADING, ...TRAILING];
const header = el('div', { class: 'row head', role: 'row' });

/** The file's labels and other fields, as the last rows told them (for setColumns on a resize). */
let shownFields: { labelled: boolean; fields: string[] } = { labelled: true, fields: [] };

/** How many field columns the table has room for. */
function fieldRoom(labelled: boolean): number {
  const fixed = [...LEADING, ...TRAILING].filter((c) => labelled || c.sort !== 'label').reduce((sum, c) => sum + c.least, 0);
  const width = viewport.clientWidth || header.clientWidth;
  if (!width) return 0;
  const spare = width - fixed - TEXT_ROOM - 8 * (LEADING.length + TRAILING.length + FIELD_COLUMNS);
  return Math.max(0, Math.min(FIELD_COLUMNS, Math.floor(spare / FIELD_WIDTH)));
}

/** The columns for a file: its labels, its first other fields and the table's width decide them (set again when they change). */
function setColumns(labelled: boolean, fields: string[]): void {
  if (fields.join('\n') !== shownFields.fields.join('\n')) {
    // The order select offers every other field of the file, shown as a column or not.
    const kept = sort.value;
    for (const o of [...sort.options]) if (o.value.startsWith('field:')) o.remove();
    for (const name of fields.slice(0, ORDER_FIELDS)) sort.append(el('option', { value: fieldOrder(name) }, t('By {0}', name)));
    sort.value = [...sort.options].some((o) => o.value === kept) ? kept : 'line';
  }
  shownFields = { labelled, fields };
  const next: Column[] = [
    ...LEADING.filter((c) => labelled || c.sort !== 'label'),
    ...fields.slice(0, fieldRoom(labelled)).map((name): Column => ({ name, width: 'minmax(60px, 0.8fr)', least: 60, sort: 'field', field: name, cell: (r) => r.other[name] ?? '', className: 'field' })),
    ...TRAILING,
  ];
  if (next.map((c) => c.name).join('\n') === columns.map((c) => c.name).join('\n') && header.childElementCount) return;
  columns = next;
  // Through the CSSOM (the page's CSP refuses style attributes): header and rows share the template.
  app.style.setProperty('--row-columns', columns.map((c) => c.width).join(' '));
  header.replaceChildren(...columns.map((c) => {
    // Numbers' headers are aligned as their numbers are.
    const cls = c.className?.startsWith('num') ? 'num' : '';
    if (!c.sort) return el('div', { role: 'columnheader', class: cls }, c.name);
    const button = el('button', { type: 'button', class: 'sort-header', title: t('Sort by {0}', c.name) }, c.name);
    button.addEventListener('click', () => {
      sort.value = c.field !== undefined ? fieldOrder(c.field) : c.sort === 'length-desc' && sort.value === 'length-desc' ? 'length-asc' : c.sort!;
      restart(readQuery());
    });
    return el('div', { role: 'columnheader', class: cls }, button);
  }));
}

// The actions on the rows the filters select: each asks again before it writes.
const actionCount = el('span', { id: 'action-count', class: 'muted' });
const deleteButton = el('button', { type: 'button', id: 'delete-rows' }, t('Delete'));
const relabelInput = el('input', { id: 'relabel', type: 'text', list: 'label-names', placeholder: t('new label'), 'aria-label': t('Label to give the rows') });
const labelList = el('datalist', { id: 'label-names' });
const relabelButton = el('button', { type: 'button', id: 'relabel-rows' }, t('Relabel'));
const redactButton = el('button', { type: 'button', id: 'redact-rows' }, t('Redact'));
const confirmBar = el('div', { id: 'confirm', class: 'confirm', role: 'alertdialog', 'aria-live': 'assertive' });
const actionStatus = el('span', { id: 'action-status', class: 'muted', 'aria-live': 'polite' });
const actions = el('div', { class: 'actions', role: 'group', 'aria-label': t('Actions on the rows shown') },
  actionCount, deleteButton, relabelInput, labelList, relabelButton, redactButton, actionStatus);
const editProblems = el('div', { id: 'edit-problems' });
const spacer = el('div', { class: 'spacer' });
const viewport = el('div', { id: 'rows', class: 'viewport', role: 'grid', tabindex: 0, 'aria-label': t('Dataset rows') }, spacer);
const details = el('aside', { id: 'details', class: 'details', 'aria-live': 'polite' }, el('p', { class: 'muted' }, t('Select a row to see its text and findings.')));

clear(app,
  el('header', {}, title, counts),
  el('div', { class: 'toolbar' }, labelFilter, ruleFilter, severityFilter, clusterFilter, search, el('label', { class: 'inline' }, regex, t(' regex')), sort),
  actions,
  confirmBar,
  editProblems,
  problems,
  el('div', { class: 'layout' }, el('div', { class: 'table' }, header, viewport), details),
);
setColumns(true, []);

function readQuery(): DatasetRowsQuery {
  return {
    ...(labelFilter.value ? { label: labelFilter.value.slice(1) } : {}),
    ...(ruleFilter.value ? { rule: ruleFilter.value } : {}),
    ...(severityFilter.value ? { severity: severityFilter.value as DatasetRowsQuery['severity'] } : {}),
    ...(clusterFilter.value ? { cluster: Number(clusterFilter.value) } : {}),
    ...(search.value ? { text: search.value, regex: regex.checked } : {}),
    ...(sort.value.startsWith('field:') ? { sort: 'field' as const, sortField: sort.value.slice('field:'.length) } : { sort: sort.value as DatasetRowsQuery['sort'] }),
  };
}

/** Starts over with a new query: the pages held are of the old one. */
function restart(next: DatasetRowsQuery): void {
  query = next;
  generation++;
  pages.clear();
  asked.clear();
  selected = -1;
  viewport.scrollTop = 0;
  request(0);
}

const typed = debounce(() => restart(readQuery()), 200);
for (const input of [labelFilter, ruleFilter, severityFilter, clusterFilter, sort, regex]) input.addEventListener('change', () => restart(readQuery()));
search.addEventListener('input', typed);

function request(page: number): void {
  if ([...asked.values()].some((a) => a.generation === generation && a.page === page)) return;
  const n = ++seq;
  asked.set(n, { generation, page });
  vscode.postMessage({ type: 'rows', seq: n, query, offset: page * PAGE, limit: PAGE });
}

function setOptions(select: HTMLSelectElement, all: string, options: { value: string; text: string }[], value: string): void {
  clear(select, el('option', { value: '' }, all), ...options.map((o) => el('option', { value: o.value }, o.text)));
  select.value = options.some((o) => o.value === value) ? value : '';
}

function received(n: number, result: Answer): void {
  const a = asked.get(n);
  if (!a || a.generation !== generation) return;
  matched = result.matched;
  total = result.total;
  shownVersion = result.version;
  pages.set(a.page, result.rows);
  clear(problems);
  counts.textContent = matched === total ? t(total === 1 ? '{0} row' : '{0} rows', fmt(total)) : t('{0} of {1} rows', fmt(matched), fmt(total));
  if (total === 0) counts.textContent = t('This file has no rows yet.');
  setOptions(labelFilter, t('All labels'), result.labels.map((l) => ({ value: `=${l.name}`, text: `${l.name} (${fmt(l.rows)})` })), query.label !== undefined ? `=${query.label}` : '');
  setOptions(ruleFilter, t('All rules'), result.rules.map((r) => ({ value: r.rule, text: `${r.rule} (${t(r.rows === 1 ? '{0} row' : '{0} rows', fmt(r.rows))})` })), query.rule ?? '');
  setOptions(clusterFilter, t('All rows'), result.clusters.map((c) => ({ value: String(c.cluster), text: t('Near-duplicate cluster {0} ({1} rows)', c.cluster, fmt(c.rows)) })), query.cluster !== undefined ? String(query.cluster) : '');
  clusterFilter.disabled = result.clusters.length === 0;
  labelFilter.disabled = result.labels.length === 0;
  // A file without labels (chat, instruction data) gets no empty Label column.
  app.classList.toggle('unlabelled', result.labels.length === 0);
  setColumns(result.labels.length > 0, result.otherFields);
  labelNames = result.labels.map((l) => l.name);
  clear(labelList, ...labelNames.map((name) => el('option', { value: name })));
  showActions();
  spacer.style.height = `${matched * ROW_HEIGHT}px`;
  draw();
}

function rowAt(position: number): DatasetRowView | undefined {
  return pages.get(Math.floor(position / PAGE))?.[position % PAGE];
}

const SEVERITY_WORD = { error: t('Error'), warning: t('Warning'), info: t('Info'), hint: t('Hint') } as const;

/** Draws the rows in sight (asking for the pages they are on). */
function draw(): void {
  const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const end = Math.min(matched, Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW_HEIGHT) + OVERSCAN);
  const drawn: HTMLElement[] = [];
  for (let p = first; p < end; p++) {
    const row = rowAt(p);
    if (!row) {
      request(Math.floor(p / PAGE));
      drawn.push(placed(el('div', { class: 'row loading' }, el('div', {}, '…')), p));
      continue;
    }
    const line = el('div', {
      class: `row${p === selected ? ' selected' : ''}${row.broken ? ' broken' : ''}`, role: 'row', 'aria-rowindex': p + 1, 'aria-selected': p === selected ? 'true' : 'false',
      'data-line': row.line, 'data-position': p,
    },
    ...columns.map((c) => el('div', { class: c.className ?? '', role: 'gridcell' }, c.cell(row))));
    line.addEventListener('click', () => select(p));
    line.addEventListener('dblclick', () => reveal(row));
    drawn.push(placed(line, p));
  }
  spacer.replaceChildren(...drawn);
}

/** A row's rules as chips, coloured by its worst finding. */
function findingChips(row: DatasetRowView): Node {
  const worst = row.findings.reduce((w, f) => (rank(f.severity) > rank(w) ? f.severity : w), 'hint' as DatasetRowView['findings'][number]['severity']);
  const chips = document.createDocumentFragment();
  chips.append(...[...new Set(row.findings.map((f) => f.rule))].map((r) => el('span', { class: `chip ${worst}` }, r)));
  return chips;
}

/** Puts a row at its place in the table (through the CSSOM: the page's CSP refuses style attributes). */
function placed(row: HTMLElement, position: number): HTMLElement {
  row.style.top = `${position * ROW_HEIGHT}px`;
  return row;
}

function rank(s: string): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : s === 'info' ? 1 : 0;
}

function select(position: number): void {
  if (position < 0 || position >= matched) return;
  selected = position;
  const top = position * ROW_HEIGHT;
  if (top < viewport.scrollTop) viewport.scrollTop = top;
  else if (top + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + ROW_HEIGHT - viewport.clientHeight;
  draw();
  showDetails(rowAt(position));
}

function showDetails(row: DatasetRowView | undefined): void {
  if (!row) {
    clear(details, el('p', { class: 'muted' }, t('Loading the row…')));
    return;
  }
  const go = el('button', { type: 'button', id: 'reveal', class: 'primary' }, t('Go to line {0}', row.line));
  go.addEventListener('click', () => reveal(row));
  const others = Object.entries(row.other);
  clear(details,
    el('h2', {}, row.endLine > row.line ? t('Line {0}–{1}', row.line, row.endLine) : t('Line {0}', row.line), row.label !== undefined ? el('span', { class: 'label-badge' }, row.label) : null),
    go,
    row.findings.length
      ? el('ul', { class: 'finding-list' }, ...row.findings.map((f) => el('li', { class: f.severity }, el('strong', {}, `${SEVERITY_WORD[f.severity]} · ${f.rule}`), ' ', f.message)))
      : el('p', { class: 'muted' }, t('No findings on this row.')),
    row.parts ? partsOf(row) : el('pre', { class: 'row-text' }, row.text),
    ...(row.twins ?? []).map((twin) => twinOf(row, twin)),
    others.length ? el('dl', {}, ...others.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])) : null,
  );
}

/** A conversation as its turns (the role above each), an instruction as prompt → response. */
function partsOf(row: DatasetRowView): HTMLElement {
  const roleClass = (name: string) => (/^(assistant|gpt|model|bot|output|completion|response|chosen)$/i.test(name) ? 'answer' : /^system$/i.test(name) ? 'system' : 'prompt');
  return el('div', { class: 'turns', role: 'list', 'aria-label': t('Parts of the row') }, ...row.parts!.map((p) =>
    el('div', { class: `turn ${roleClass(p.name)}`, role: 'listitem' }, el('div', { class: 'role' }, p.name), el('div', { class: 'turn-text' }, p.text))));
}

const TWIN_WORD: Record<string, string> = { 'exact-duplicate': t('Duplicate of this row'), 'near-duplicate': t('Near-duplicate'), 'conflicting-labels': t('Same text, other label') };

/** The row and one it duplicates or nearly duplicates, side by side, the words that differ marked. */
function twinOf(row: DatasetRowView, twin: NonNullable<DatasetRowView['twins']>[number]): HTMLElement {
  const diff = wordDiff(row.text, twin.text);
  const marked = (pieces: { text: string; changed: boolean }[]) => el('pre', { class: 'row-text' }, ...pieces.map((p) => (p.changed ? el('mark', {}, p.text) : p.text)));
  const open = el('button', { type: 'button', class: 'link' }, t('Line {0}', twin.line));
  open.addEventListener('click', () => vscode.postMessage({ type: 'reveal', line: twin.line, endLine: twin.line }));
  const similarity = twin.similarity !== undefined ? t(' · {0}% similar', Math.round(twin.similarity * 100)) : '';
  return el('section', { class: 'twin', 'aria-label': TWIN_WORD[twin.rule] ?? twin.rule },
    el('h3', {}, `${TWIN_WORD[twin.rule] ?? twin.rule}${similarity}`),
    el('div', { class: 'side-by-side' },
      el('div', {}, el('div', { class: 'muted' }, t('This row'), row.label !== undefined ? el('span', { class: 'label-badge' }, row.label) : null), marked(diff.a)),
      el('div', {}, el('div', { class: 'muted' }, open, twin.label !== undefined ? el('span', { class: 'label-badge' }, twin.label) : null), marked(diff.b))));
}

// ---- Actions on rows ----------------------------------------------------------------------------

/** What the action buttons say: how many rows they act on (the filtered rows). */
function showActions(): void {
  const filtered = matched !== total;
  actionCount.textContent = filtered ? t(matched === 1 ? 'On the {0} row shown:' : 'On the {0} rows shown:', fmt(matched)) : t(matched === 1 ? 'On all {0} row:' : 'On all {0} rows:', fmt(matched));
  for (const b of [deleteButton, relabelButton, redactButton]) b.disabled = matched === 0;
  relabelButton.disabled = matched === 0 || !relabelInput.value.trim() || labelNames.length === 0;
  relabelInput.disabled = labelNames.length === 0;
}
relabelInput.addEventListener('input', showActions);

function describe(action: DatasetRowAction, n: number): string {
  if (action.kind === 'delete') return t(n === 1 ? 'Delete {0} row?' : 'Delete {0} rows?', fmt(n));
  if (action.kind === 'relabel') return t(n === 1 ? 'Give {0} row the label "{1}"?' : 'Give {0} rows the label "{1}"?', fmt(n), action.label);
  return t(n === 1 ? 'Redact the personal data and keys in {0} row?' : 'Redact the personal data and keys in {0} rows?', fmt(n));
}

/** Asks before an action on the filtered rows; Confirm sends it, Cancel (or Escape) takes the question away. */
function ask(action: DatasetRowAction): void {
  const yes = el('button', { type: 'button', id: 'confirm-yes', class: 'primary' }, t('Confirm'));
  const no = el('button', { type: 'button', id: 'confirm-no' }, t('Cancel'));
  clear(confirmBar, el('span', {}, describe(action, matched), ' ', el('span', { class: 'muted' }, t('One Undo in the text editor takes it back.'))), yes, no);
  confirmBar.classList.add('open');
  // What the question named: the rows and text shown when it was asked (the server refuses if they moved).
  const shown = { query, matched, version: shownVersion };
  yes.addEventListener('click', () => {
    closeQuestion();
    send(action, undefined, shown);
  });
  no.addEventListener('click', closeQuestion);
  yes.focus();
}

function closeQuestion(): void {
  confirmBar.classList.remove('open');
  clear(confirmBar);
}
confirmBar.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') closeQuestion();
});

function send(action: DatasetRowAction, lines?: number[], shown = { query, matched, version: shownVersion }): void {
  actionStatus.textContent = t('Writing…');
  clear(editProblems);
  vscode.postMessage({ type: 'edit', action, ...shown, ...(lines ? { lines } : {}) });
}

deleteButton.addEventListener('click', () => ask({ kind: 'delete' }));
relabelButton.addEventListener('click', () => {
  const label = relabelInput.value.trim();
  if (label) ask({ kind: 'relabel', label });
});
redactButton.addEventListener('click', () => ask({ kind: 'redact' }));

function reveal(row: DatasetRowView): void {
  vscode.postMessage({ type: 'reveal', line: row.line, endLine: row.endLine });
}

viewport.addEventListener('scroll', () => draw());
window.addEventListener('resize', () => {
  // A wider or narrower table may hold more or fewer field columns.
  setColumns(shownFields.labelled, shownFields.fields);
  draw();
});
viewport.addEventListener('keydown', (e) => {
  const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 20 : e.key === 'PageUp' ? -20 : 0;
  if (step) {
    e.preventDefault();
    select(Math.max(0, Math.min(matched - 1, (selected < 0 ? -1 : selected) + step)));
  } else if (e.key === 'Enter' && selected >= 0) {
    const row = rowAt(selected);
    if (row) reveal(row);
  } else if (e.key === 'Delete' && selected >= 0) {
    // The selected row alone, at once: the toast and one Undo in the text editor take it back.
    const row = rowAt(selected);
    if (row) send({ kind: 'delete' }, [row.line]);
  }
});

/** Puts a query into the filters (the host opened the view on a rule, say). */
function showQuery(q: DatasetRowsQuery): void {
  search.value = q.text ?? '';
  severityFilter.value = q.severity ?? '';
  regex.checked = !!q.regex;
  sort.value = q.sort === 'field' && q.sortField !== undefined ? fieldOrder(q.sortField) : q.sort ?? 'line';
  restart({ ...q, sort: q.sort ?? 'line' });
}

window.addEventListener('message', (event: MessageEvent<DatasetViewHostMessage>) => {
  const m = event.data;
  if (m.type === 'init') {
    clear(title, t('Rows of '), el('code', {}, m.file));
    showQuery(m.query);
  } else if (m.type === 'rows') {
    received(m.seq, m.result);
    if (selected >= 0) showDetails(rowAt(selected));
  } else if (m.type === 'problems') {
    if (asked.get(m.seq)?.generation !== generation) return;
    clear(problems, problemsBox(m.problems));
    matched = 0;
    spacer.style.height = '0px';
    draw();
  } else if (m.type === 'refresh') {
    // The file was checked again: keep the place, ask again for what is in sight.
    const keep = viewport.scrollTop;
    const was = selected;
    generation++;
    pages.clear();
    asked.clear();
    request(Math.floor(keep / ROW_HEIGHT / PAGE));
    viewport.scrollTop = keep;
    selected = was;
  } else if (m.type === 'query') showQuery(m.query);
  else if (m.type === 'edited') {
    actionStatus.textContent = m.rows ? t(m.rows === 1 ? '{0} row changed; Undo in the text editor takes it back.' : '{0} rows changed; Undo in the text editor takes them back.', fmt(m.rows)) : '';
    clear(editProblems, m.problems.length ? problemsBox(m.problems) : null);
  }
});

vscode.postMessage({ type: 'ready' });
