// @ts-check
/*
 * The quality report page: reads the report from the JSON block, draws it, and in VS Code tells the
 * host which row to reveal. Dataset rows are untrusted, so every string goes in as text (append,
 * textContent, setAttribute), never as markup. Plain browser JS: the export inlines it as it is.
 */
(function () {
  'use strict';

  /** @typedef {import('../server/src/engine/report/report').QualityReport} QualityReport */
  /** @typedef {import('../server/src/engine/report/report').RuleFindings} RuleFindings */
  /** @typedef {import('../server/src/protocol').ReportPageMessage} ReportPageMessage */
  /** @typedef {import('../server/src/protocol').ReportHostMessage} ReportHostMessage */
  /** @typedef {import('../server/src/protocol').ReportPageState} ReportPageState */

  const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  const main = /** @type {HTMLElement} */ (document.getElementById('report'));
  /** @type {ReportPageState} */
  let state = (vscode && vscode.getState()) || {};
  /** @type {QualityReport | undefined} */
  let current;
  /** @type {import('chart.js').Chart[]} */
  let charts = [];

  const fmt = (/** @type {number} */ n) => n.toLocaleString('en-US');
  // A share above zero never reads as 0.0%, and a small ratio keeps two significant digits.
  const pct = (/** @type {number} */ x) => (x > 0 && x < 0.0005 ? '<0.1%' : `${(x * 100).toFixed(1)}%`);
  const ratio = (/** @type {number} */ x) => (x > 0 && x < 0.1 ? x.toPrecision(2) : x.toFixed(2));

  // ---- the page's words ---------------------------------------------------------------------
  // Every English string the page shows goes through t() (or tn() for a count with its noun); the host
  // puts the display language's table on the page (data-l10n on #report: English keys, "{0}"
  // placeholders), from l10n/report.l10n.zh-cn.json. To add a string: call t() with its English here and
  // its Chinese in that file (test/unit/l10n.test.ts fails on a string without one, and on a stale key).
  /** @type {Record<string, string>} */
  const STRINGS = JSON.parse(main.getAttribute('data-l10n') || '{}');
  /** A page string in the page's language, "{0}" placeholders filled in. */
  function t(/** @type {string} */ message, /** @type {(string | number)[]} */ ...args) {
    const s = Object.prototype.hasOwnProperty.call(STRINGS, message) ? STRINGS[message] : message;
    return s.replace(/\{(\d+)\}/g, (whole, /** @type {string} */ n) => (Number(n) < args.length ? String(args[Number(n)]) : whole));
  }
  /** A count with its noun: tn(n, '{0} row', '{0} rows') (the count formatted). */
  const tn = (/** @type {number} */ n, /** @type {string} */ one, /** @type {string} */ many) => t(n === 1 ? one : many, fmt(n));

  /** @param {ReportPageMessage} message */
  function post(message) {
    if (vscode) vscode.postMessage(message);
  }

  /**
   * Builds an element; strings among the children become text nodes, so data can never become markup.
   * @param {string} tag
   * @param {Record<string, unknown> | null} [props]
   * @param {...(Node | string | number | null | undefined | false | (Node | string | null | undefined | false)[])} children
   * @returns {HTMLElement}
   */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') el.className = String(value);
      else if (key === 'onclick') el.addEventListener('click', /** @type {EventListener} */ (value));
      else if (key === 'style') Object.assign(el.style, value);
      else if (/^on/i.test(key)) throw new Error(`event handlers go through onclick, not ${key}`);
      else el.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(typeof child === 'number' ? String(child) : child);
    }
    return el;
  }

  /** The theme's colours as the canvas needs them (CSS variables resolved to values). */
  function colors() {
    const css = getComputedStyle(document.documentElement);
    const v = (/** @type {string} */ name) => css.getPropertyValue(name).trim();
    return {
      fg: v('--fg'), muted: v('--muted'), border: v('--border'), bg: v('--bg'),
      blue: v('--blue'), red: v('--red'), yellow: v('--yellow'), orange: v('--orange'), green: v('--green'), purple: v('--purple'),
      font: v('--font'),
    };
  }

  // Label colours of the split bars: CSS variables, so plain elements follow a theme change by themselves.
  const PALETTE = ['var(--blue)', 'var(--orange)', 'var(--green)', 'var(--purple)', 'var(--red)', 'var(--yellow)'];

  /** A line number a person can click to reveal the row in the editor (plain text outside VS Code). */
  function lineLink(/** @type {number} */ line) {
    if (!vscode) return h('span', { class: 'line' }, t('line {0}', fmt(line)));
    return h('button', { class: 'link line', type: 'button', title: t('Show this row in the editor'), onclick: () => post({ type: 'reveal', line }) }, t('line {0}', fmt(line)));
  }

  function shorten(/** @type {string} */ s, /** @type {number} */ max) {
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
  }

  function tile(/** @type {string} */ label, /** @type {string} */ figure, alert = false, full = figure) {
    return h('div', { class: alert ? 'tile alert' : 'tile' }, h('div', { class: 'label' }, label), h('div', { class: 'figure', title: full }, figure));
  }

  /** A count short enough for a tile (1.93M, 976k); the tile's tooltip has it in full. */
  function compact(/** @type {number} */ n) {
    if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
    if (n >= 1e5) return `${Math.round(n / 1e3)}k`;
    return fmt(n);
  }

  function section(/** @type {string} */ id, /** @type {string} */ title, /** @type {boolean} */ wide, /** @type {(Node | string | null | false)[]} */ ...body) {
    return h('section', { class: wide ? 'card wide' : 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);
  }

  function canvasBox(/** @type {string} */ id, /** @type {number} */ height, /** @type {string} */ label) {
    return h('div', { class: 'chart', style: { height: `${height}px` } }, h('canvas', { id, role: 'img', 'aria-label': label }));
  }

  // ---- header -------------------------------------------------------------------------------

  function header(/** @type {QualityReport} */ r) {
    const hd = r.header;
    const sev = hd.findingsBySeverity;
    const score = hd.quality.score;
    const grade = score >= 80 ? 'good' : score >= 50 ? 'fair' : 'poor';
    const fields = Object.entries(hd.fields).map(([role, name]) => (role === name ? name : `${role}: ${name}`)).join(', ');
    return h('header', { class: 'hero' },
      h('div', null,
        h('h1', null, t('Quality report')),
        h('div', { class: 'path', id: 'file-path' }, hd.path),
        h('div', { class: 'chips' },
          h('span', { class: 'chip' }, h('b', { id: 'rows' }, fmt(hd.rows)), t(' rows')),
          h('span', { class: 'chip' }, fmt(hd.validRows), t(' valid')),
          h('span', { class: 'chip' }, `${hd.format} · ${hd.container}`),
          fields && h('span', { class: 'chip mono' }, fields),
          // Latin script alone goes without saying; any other script is worth a chip.
          (hd.languages || []).some((l) => l.name !== 'Latin script') &&
            h('span', { class: 'chip', id: 'languages' }, hd.languages.slice(0, 4).map((l) => `${t(l.name)} ${(l.share * 100).toFixed(l.share < 0.1 ? 1 : 0)}%`).join(' · ')),
        ),
        h('div', { class: 'chips', style: { marginTop: '8px' }, id: 'severities' },
          h('span', { class: 'chip' }, h('span', { class: 'dot error' }), tn(sev.error, '{0} error', '{0} errors')),
          h('span', { class: 'chip' }, h('span', { class: 'dot warning' }), tn(sev.warning, '{0} warning', '{0} warnings')),
          h('span', { class: 'chip' }, h('span', { class: 'dot info' }), tn(sev.info + sev.hint, '{0} note', '{0} notes')),
          hd.duplicateRows > 0 && h('span', { class: 'chip' }, t('{0} in {1}', tn(hd.duplicateRows, '{0} repeated row', '{0} repeated rows'), tn(hd.duplicateGroups, '{0} group', '{0} groups'))),
        ),
      ),
      hd.rows === 0
        // An empty file has nothing to score: "0 / 100" beside "No findings" would read as a verdict.
        ? h('div', { class: 'score' },
            h('div', { class: 'label muted' }, t('Quality score')),
            h('div', { class: 'value', id: 'score' }, t('No rows yet')),
            h('div', { class: 'muted' }, t('The file is empty: add rows and the report fills in.')))
        : h('div', { class: 'score' },
        h('div', { class: 'label muted' }, t('Quality score')),
        h('div', { class: 'value', id: 'score' }, String(score), h('small', null, ' / 100')),
        h('div', { class: 'meter' }, h('div', { class: grade, style: { width: `${score}%` } })),
        hd.quality.penalties.length
          ? h('div', null,
              h('div', { class: 'muted' }, t('What lowers it')),
              h('ul', { class: 'penalties', id: 'penalties' }, ...hd.quality.penalties.map((p) => h('li', null, h('span', null, p.cause), h('span', { class: 'num' }, `−${p.points}`)))))
          : h('div', { class: 'muted' }, t('Nothing lowers it.')),
      ),
    );
  }

  // ---- conversations (chat datasets, where labels would be) --------------------------------------

  function conversations(/** @type {NonNullable<QualityReport['conversations']>} */ c) {
    const most = Math.max(1, ...c.turns.counts.map((t) => t.conversations));
    return section('conversations', t('Conversations'), true,
      h('p', null, tn(c.conversations, '{0} conversation', '{0} conversations'), t(' · messages per conversation: median '), h('b', { id: 'turns-median' }, String(c.turns.median)),
        ` (${c.turns.min}–${c.turns.max})`),
      h('div', { class: 'scroll' },
        h('table', { id: 'role-table' },
          h('thead', null, h('tr', null, h('th', null, t('Role')), h('th', { class: 'num' }, t('Messages')), h('th', { class: 'num' }, t('Share')), h('th', { class: 'num' }, t('In conversations')), h('th', { class: 'num' }, t('Median characters')))),
          h('tbody', null, ...c.roles.map((x) => h('tr', null, h('td', null, x.role), h('td', { class: 'num' }, fmt(x.messages)), h('td', { class: 'num' }, pct(x.share)),
            h('td', { class: 'num' }, pct(c.conversations ? x.conversationsWith / c.conversations : 0)), h('td', { class: 'num' }, fmt(x.medianChars))))),
        ),
      ),
      h('h3', null, t('Messages per conversation')),
      h('ul', { class: 'turns', id: 'turns' }, ...c.turns.counts.map((x) => h('li', null,
        h('span', { class: 'turns-label' }, x.turns > 10 ? t('over 10') : String(x.turns)),
        h('span', { class: 'turns-bar', style: { width: `${Math.max(2, Math.round((100 * x.conversations) / most))}%` } }),
        h('span', { class: 'num' }, fmt(x.conversations))))),
    );
  }

  // ---- labels -------------------------------------------------------------------------------

  const CHART_LABELS = 30;

  function labels(/** @type {QualityReport} */ r) {
    const s = r.labels;
    if (!s && r.conversations) return conversations(r.conversations);
    if (!s) return section('labels', t('Labels'), false, h('p', { class: 'muted' }, t('A {0} dataset has no labels.', r.header.format)));
    const shown = s.labels.slice(0, CHART_LABELS);
    const rare = s.labels.filter((l) => l.rare).length;
    return section('labels', t('Labels'), false,
      h('p', null, t('{0} over {1}', tn(s.labels.length, '{0} label', '{0} labels'), tn(s.labelled, '{0} labelled row', '{0} labelled rows')), t(' · balance index '), h('b', { id: 'balance' }, s.balanceIndex.toFixed(2)),
        rare ? t(' · {0} (under {1} rows)', tn(rare, '{0} rare label', '{0} rare labels'), s.rareLabelMin) : ''),
      canvasBox('label-chart', Math.max(90, 26 * shown.length + 30), t('Rows per label')),
      s.labels.length > shown.length ? h('p', { class: 'note' }, t('The chart shows the {0} most common labels; the table lists all.', CHART_LABELS)) : null,
      h('div', { class: 'scroll' },
        h('table', { id: 'label-table' },
          h('thead', null, h('tr', null, h('th', null, t('Label')), h('th', { class: 'num' }, t('Rows')), h('th', { class: 'num' }, t('Share')))),
          h('tbody', null, ...s.labels.map((l) => h('tr', { class: l.rare ? 'rare' : '' }, h('td', null, l.name), h('td', { class: 'num' }, fmt(l.count)), h('td', { class: 'num' }, pct(l.share))))),
        ),
      ),
    );
  }

  function labelChart(/** @type {QualityReport} */ r) {
    const s = r.labels;
    const canvas = /** @type {HTMLCanvasElement | null} */ (document.getElementById('label-chart'));
    if (!s || !canvas) return;
    const c = colors();
    const shown = s.labels.slice(0, CHART_LABELS);
    charts.push(new Chart(canvas, {
      type: 'bar',
      data: {
        labels: shown.map((l) => l.name),
        datasets: [{ label: t('Rows'), data: shown.map((l) => l.count), backgroundColor: shown.map((l) => (l.rare ? c.orange : c.blue)), borderRadius: 2 }],
      },
      options: {
        indexAxis: 'y',
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (ctx) => ` ${t('{0} rows ({1})', fmt(Number(ctx.raw)), pct(shown[ctx.dataIndex].share))}${shown[ctx.dataIndex].rare ? t(', rare') : ''}` } },
        },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          // Long labels are cut on the axis (the table and the tooltip show them whole).
          y: { grid: { display: false }, ticks: { callback: (_, i) => shorten(shown[i].name, 28) } },
        },
      },
    }));
  }

  // ---- lengths ------------------------------------------------------------------------------

  function lengths(/** @type {QualityReport} */ r) {
    const l = r.lengths;
    const d = l.distribution;
    const hist = l.histogram;
    const end = (hist.counts.length + (hist.over ? 1 : 0)) * hist.width;
    return section('lengths', t('Text length'), false,
      h('p', null, t('Tokens per row (estimated at {0} bytes per token) · limit ', l.bytesPerToken), h('b', null, fmt(l.maxTokens))),
      canvasBox('length-chart', 210, t('Histogram of tokens per row')),
      l.maxTokens > end ? h('p', { class: 'note' }, t('The {0}-token limit lies beyond the longest bucket shown.', fmt(l.maxTokens))) : null,
      h('div', { class: 'tiles', id: 'length-figures' },
        tile(t('median'), fmt(d.median)), tile(t('p95'), fmt(d.p95)), tile(t('max'), fmt(d.max)), tile(t('mean'), fmt(Math.round(d.mean))),
        tile(t('over the limit'), fmt(l.overLimit), l.overLimit > 0), tile(t('length outliers'), fmt(l.lengthOutliers)),
      ),
    );
  }

  function lengthChart(/** @type {QualityReport} */ r) {
    const canvas = /** @type {HTMLCanvasElement | null} */ (document.getElementById('length-chart'));
    if (!canvas) return;
    const c = colors();
    const { counts, width, over } = r.lengths.histogram;
    const limit = r.lengths.maxTokens;
    const points = counts.map((n, i) => ({ x: i * width + width / 2, y: n }));
    if (over) points.push({ x: counts.length * width + width / 2, y: over });
    const end = (counts.length + (over ? 1 : 0)) * width;
    const overFrom = counts.length * width;
    /** Draws the token limit as a dashed line where it falls on the axis. */
    const limitLine = {
      id: 'limitLine',
      afterDatasetsDraw(/** @type {import('chart.js').Chart} */ chart) {
        if (limit > end) return;
        const x = chart.scales.x.getPixelForValue(limit);
        const { top, bottom } = chart.chartArea;
        const g = chart.ctx;
        g.save();
        g.strokeStyle = c.red;
        g.lineWidth = 1.5;
        g.setLineDash([5, 4]);
        g.beginPath();
        g.moveTo(x, top);
        g.lineTo(x, bottom);
        g.stroke();
        g.fillStyle = c.red;
        g.font = `11px ${c.font}`;
        g.textAlign = x > chart.chartArea.right - 80 ? 'right' : 'left';
        g.fillText(t('limit {0}', fmt(limit)), x + (g.textAlign === 'right' ? -4 : 4), top + 10);
        g.restore();
      },
    };
    charts.push(new Chart(canvas, {
      type: 'bar',
      data: {
        datasets: [{
          label: t('Rows'),
          data: points,
          backgroundColor: points.map((_, i) => (i >= counts.length ? c.muted : c.blue)),
          barPercentage: 1,
          categoryPercentage: 1,
          borderWidth: 0,
        }],
      },
      options: {
        parsing: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => {
                const i = items[0].dataIndex;
                return i >= counts.length ? t('{0} tokens or more', fmt(overFrom)) : t('{0}–{1} tokens', fmt(i * width), fmt((i + 1) * width - 1));
              },
              label: (ctx) => ` ${tn(Number(/** @type {{y: number}} */ (ctx.raw).y), '{0} row', '{0} rows')}`,
            },
          },
        },
        scales: {
          x: {
            type: 'linear', min: 0, max: end, offset: false, grid: { display: false },
            ticks: { callback: (value) => (over && Number(value) >= overFrom ? `${fmt(overFrom)}+` : fmt(Number(value))), maxTicksLimit: 9, includeBounds: false },
            title: { display: true, text: t('tokens'), color: c.muted },
          },
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: t('rows'), color: c.muted } },
        },
      },
      plugins: [limitLine],
    }));
  }

  // ---- findings -----------------------------------------------------------------------------

  /** A severity as the page says it (the dot beside it has the colour). */
  function severityName(/** @type {string} */ severity) {
    if (severity === 'error') return t('error');
    if (severity === 'warning') return t('warning');
    if (severity === 'info') return t('info');
    return t('hint');
  }

  function findings(/** @type {QualityReport} */ r) {
    if (r.header.rows === 0) return section('findings', t('Findings per rule'), true, h('p', null, t('Nothing to check: the file has no rows.')));
    if (!r.findings.length) return section('findings', t('Findings per rule'), true, h('p', null, t('No findings: every rule passed.')));
    const examples = h('div', { id: 'rule-rows' });
    const rows = r.findings.map((f) => {
      const row = h('tr', { class: 'rule', tabindex: '0', 'data-rule': f.rule, 'aria-expanded': 'false' },
        h('td', null, h('code', null, f.rule)),
        h('td', null, h('span', { class: `dot ${f.severity}` }), severityName(f.severity)),
        h('td', { class: 'num' }, fmt(f.count)),
        h('td', null, f.summary),
      );
      const open = () => showRule(f, examples, tbody);
      row.addEventListener('click', open);
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      });
      return row;
    });
    const tbody = h('tbody', null, ...rows);
    const table = h('table', { id: 'findings-table' },
      h('thead', null, h('tr', null, h('th', null, t('Rule')), h('th', null, t('Severity')), h('th', { class: 'num' }, t('Findings')), h('th', null, t('What it means')))),
      tbody,
    );
    const card = section('findings', t('Findings per rule'), true,
      h('p', { class: 'muted' }, vscode ? t('Click a rule to list its rows; click a row to show it in the editor.') : t('Click a rule to list its rows.')),
      table, examples);
    const remembered = state.openRule && r.findings.find((f) => f.rule === state.openRule);
    if (remembered) showRule(remembered, examples, tbody);
    return card;
  }

  function showRule(/** @type {RuleFindings} */ f, /** @type {HTMLElement} */ box, /** @type {HTMLElement} */ tbody) {
    for (const tr of Array.from(tbody.children)) {
      const isOpen = tr.getAttribute('data-rule') === f.rule;
      tr.classList.toggle('open', isOpen);
      tr.setAttribute('aria-expanded', String(isOpen));
    }
    const more = f.count - f.examples.length;
    box.replaceChildren(h('div', { class: 'examples' },
      h('h3', null, `${f.rule}: ${tn(f.count, '{0} finding', '{0} findings')}`),
      h('ul', { class: 'lines', id: 'rule-lines' }, ...f.examples.map((e) => h('li', null, lineLink(e.line),
        h('span', { class: 'message' }, e.message, e.text !== undefined ? h('span', { class: 'row-text' }, e.text) : null)))),
      more > 0 ? h('p', { class: 'note' }, t('… and {0} more; the Problems panel lists them all.', fmt(more))) : null,
    ));
    // The rows open right under the rule clicked, in sight, rather than below the whole table.
    const clicked = Array.from(tbody.children).find((tr) => tr.getAttribute('data-rule') === f.rule);
    tbody.querySelector('tr.examples-row')?.remove();
    if (clicked) {
      clicked.after(h('tr', { class: 'examples-row' }, h('td', { colspan: '4' }, box)));
      if (typeof box.scrollIntoView === 'function') box.scrollIntoView({ block: 'nearest' });
    }
    state = { ...state, openRule: f.rule };
    if (vscode) vscode.setState(state);
  }

  // ---- near-duplicate clusters --------------------------------------------------------------

  const CLUSTERS_SHOWN = 50;

  function clusters(/** @type {QualityReport} */ r) {
    const n = r.nearDuplicates;
    if (!n.computed) return section('clusters', t('Near-duplicate clusters'), false, h('p', { class: 'muted', id: 'clusters-state' }, t('Not computed for this report.')));
    if (!n.clusters.length) return section('clusters', t('Near-duplicate clusters'), false, h('p', { id: 'clusters-state' }, t('None at Jaccard similarity {0} or above.', String(n.threshold))));
    const shown = n.clusters.slice(0, CLUSTERS_SHOWN);
    return section('clusters', t('Near-duplicate clusters'), false,
      h('p', null, t('{0}, largest first (Jaccard similarity ≥ {1})', tn(n.clusters.length, '{0} cluster', '{0} clusters'), String(n.threshold))),
      h('ul', { class: 'clusters scroll' }, ...shown.map((c) => h('li', null,
        h('div', null, h('b', null, tn(c.size, '{0} row', '{0} rows')), h('span', { class: 'muted' }, t(' · similarity {0}', c.similarity.toFixed(2)) + (c.pair ? t(' (lines {0} and {1})', c.pair[0], c.pair[1]) : ''))),
        h('div', { class: 'chips' }, ...c.lines.slice(0, 20).map(lineLink), c.lines.length > 20 ? t('… {0} more', fmt(c.lines.length - 20)) : null),
      ))),
      n.clusters.length > shown.length ? h('p', { class: 'note' }, t('… and {0}.', tn(n.clusters.length - shown.length, '{0} more cluster', '{0} more clusters'))) : null,
    );
  }

  // ---- diversity ----------------------------------------------------------------------------

  function diversity(/** @type {QualityReport} */ r) {
    const d = r.diversity;
    if (!d) return section('diversity', t('Diversity'), false, h('p', { class: 'muted' }, t('Not computed for this report.')));
    const top = d.topTerms[0] ? d.topTerms[0].count : 1;
    return section('diversity', t('Diversity'), false,
      h('p', null, d.sampled ? t('A sample of {0} spread over the file.', tn(d.rows, '{0} row', '{0} rows')) : t('All {0}.', tn(d.rows, '{0} row', '{0} rows'))),
      h('div', { class: 'tiles', id: 'diversity-figures' },
        tile(t('words'), compact(d.tokens), false, fmt(d.tokens)), tile(t('vocabulary'), compact(d.vocabulary), false, fmt(d.vocabulary)),
        tile(t('type/token ratio'), ratio(d.typeTokenRatio)), tile(t('distinct bigrams'), pct(d.distinctBigramShare)),
      ),
      d.topTerms.length ? h('h3', null, t('Top terms')) : null,
      // Two columns of ten keep the card about as tall as its neighbour.
      h('div', { class: 'columns', id: 'top-terms' }, ...[d.topTerms.slice(0, 10), d.topTerms.slice(10)].filter((c) => c.length).map((column) =>
        h('div', { class: 'bars' }, ...column.flatMap((term) => [
          h('span', { class: 'mono term' }, term.term),
          h('div', null, h('div', { class: 'bar', style: { width: `${(100 * term.count) / top}%` } })),
          h('span', { class: 'num' }, fmt(term.count)),
        ])))),
    );
  }

  // ---- splits -------------------------------------------------------------------------------

  function splits(/** @type {QualityReport} */ r) {
    const s = r.splits;
    if (!s) return null;
    const shownLabels = s.labels.slice(0, 12);
    const colourOf = (/** @type {number} */ i) => PALETTE[i % PALETTE.length];
    return section('splits', t('Splits'), true,
      h('table', { id: 'split-table' },
        h('thead', null, h('tr', null, h('th', null, t('Split')), h('th', null, t('File')), h('th', { class: 'num' }, t('Rows')), h('th', { class: 'num' }, t('Share')), h('th', { class: 'num' }, t('Score')), s.labels.length ? h('th', null, t('Label proportions')) : null)),
        h('tbody', null, ...s.splits.map((x) => h('tr', { 'data-split': x.split },
          h('td', null, h('b', null, x.split)),
          h('td', { class: 'mono' }, x.path),
          h('td', { class: 'num' }, fmt(x.rows)),
          h('td', { class: 'num' }, pct(x.share)),
          h('td', { class: 'num' }, String(x.score)),
          s.labels.length
            ? h('td', null, h('div', { class: 'stack', title: shownLabels.map((l, i) => `${l}: ${pct(x.labelShares[i])}`).join(' · ') },
                ...shownLabels.map((_, i) => h('div', { style: { width: `${100 * x.labelShares[i]}%`, background: colourOf(i) } }))))
            : null,
        ))),
      ),
      s.labels.length ? h('div', { class: 'legend' }, ...shownLabels.map((l, i) => h('span', null, h('span', { class: 'swatch', style: { background: colourOf(i) } }), l)),
        s.labels.length > shownLabels.length ? h('span', { class: 'muted' }, t('+ {0} more', s.labels.length - shownLabels.length)) : null) : null,
      h('h3', null, t('Leakage between splits')),
      h('table', { id: 'leakage-table' },
        h('thead', null, h('tr', null, h('th', null, t('Between')), h('th', { class: 'num' }, t('Texts in both')))),
        h('tbody', null, ...s.leakage.map((l) => h('tr', null,
          h('td', null, t('{0} and {1}', l.between[0], l.between[1])),
          h('td', { class: l.shared ? 'num leak' : 'num' }, fmt(l.shared)),
        ))),
      ),
      h('p', { class: 'note' }, t('Texts compared after Unicode NFKC, case-folding and whitespace collapse, as for exact duplicates.')),
      s.leaks ? h('table', { id: 'leak-rows-table' },
        h('thead', null, h('tr', null, h('th', null, t('Rows of')), h('th', null, t('Found in')), h('th', { class: 'num' }, t('Exact')), h('th', { class: 'num' }, t('Near-duplicate')))),
        h('tbody', null, ...s.leaks.map((l) => h('tr', null,
          h('td', null, l.between[1]),
          h('td', null, l.between[0]),
          h('td', { class: l.exact ? 'num leak' : 'num' }, fmt(l.exact)),
          h('td', { class: l.near ? 'num leak' : 'num' }, fmt(l.near)),
        ))),
      ) : null,
      s.leaks ? h('p', { class: 'note' }, t('Rows counted as check\'s cross-file-leak counts them: exact copies, and near-duplicates verified at the Jaccard threshold.')) : null,
    );
  }

  // ---- label quality ------------------------------------------------------------------------

  const prob = (/** @type {number} */ p) => (p < 0.005 ? '<0.01' : p > 0.995 ? '>0.99' : p.toFixed(2));

  /** The first rows the annotators disagree on: each one's label and the majority (annotator-disagreement's rows). */
  function disagreementPart(/** @type {NonNullable<NonNullable<QualityReport['labelQuality']>['agreement']>} */ a) {
    const rows = a.disagreementRows || [];
    if (!rows.length) return [];
    const names = a.annotatorNames || [];
    const shownLabels = (/** @type {(string | null)[]} */ labels) => labels.map((l, k) => `${names[k] ? `${names[k]}: ` : ''}${l === null ? '—' : l}`).join(', ');
    return [
      h('h3', null, t('Rows the annotators disagree on ({0} of {1})', fmt(rows.length), fmt(a.disagreements))),
      h('div', { class: 'scroll' }, h('table', { id: 'annotator-disagreements' },
        h('thead', null, h('tr', null, h('th', null, t('Row')), h('th', null, t('Text')), h('th', null, t('Labels')), h('th', null, t('Majority')))),
        h('tbody', null, ...rows.map((x) => h('tr', null, h('td', null, lineLink(x.line)), h('td', null, shorten(x.text, 160)), h('td', null, shownLabels(x.labels)),
          h('td', null, x.majority === null ? h('span', { class: 'muted' }, t('tie')) : h('b', null, x.majority))))))),
    ];
  }

  /** The learning curve: its chart, its verdict, and where it was measured (the file's folds, or split files). */
  function learningCurvePart(/** @type {NonNullable<QualityReport['labelQuality']>} */ q) {
    const curve = q.learningCurve;
    const source = q.learningCurveSource;
    const note = q.splitReason ? h('p', { class: 'note', id: 'curve-split-note' }, t('Split files were not used for the learning curve ({0}).', q.splitReason)) : null;
    if (!curve) return note ? [note] : [];
    return [
      h('h3', null, t('Learning curve')),
      canvasBox('curve-chart', 200, t('Held-out accuracy and macro-F1 by share of the training rows')),
      h('p', { id: 'curve-verdict' }, curve.verdict),
      source ? h('p', { class: 'note', id: 'curve-source' }, source.kind === 'split'
        ? t('Learned on {0} (shares of its rows), scored on {1}.', source.train, source.heldOut)
        : t('Measured on {0} folds of this file: each scored by a model of shares of the others.', fmt(source.folds))) : null,
      note,
    ];
  }

  function labelQuality(/** @type {QualityReport} */ r) {
    const q = r.labelQuality;
    if (!q) return null;
    const a = q.agreement;
    const agreementPart = a ? [
      h('h3', null, t('Annotator agreement')),
      h('p', { id: 'agreement' }, t('{0} agree on {1} of {2} · ', tn(a.annotators, '{0} annotator', '{0} annotators'), pct(a.percentAgreement), tn(a.rows, '{0} row', '{0} rows')),
        a.cohensKappa !== null ? t('Cohen\'s κ {0} · ', a.cohensKappa.toFixed(2)) : '', a.fleissKappa !== null ? t('Fleiss\' κ {0} · ', a.fleissKappa.toFixed(2)) : '', a.strength,
        t(' · {0} with differing labels', tn(a.disagreements, '{0} row', '{0} rows'))),
      h('table', null,
        h('thead', null, h('tr', null, h('th', null, t('Label')), h('th', { class: 'num' }, t('Agreement')), h('th', { class: 'num' }, t('Ratings')))),
        h('tbody', null, ...a.perLabel.map((l) => h('tr', null, h('td', null, l.label), h('td', { class: 'num' }, pct(l.agreement)), h('td', { class: 'num' }, fmt(l.ratings)))))),
      ...disagreementPart(a),
    ] : [];
    if (q.notRun) return section('label-quality', t('Label quality'), true, h('p', { class: 'muted', id: 'label-quality-state' }, t('The label model did not run: {0}.', q.notRun)), ...learningCurvePart(q), ...agreementPart);
    if (q.withheld) return section('label-quality', t('Label quality'), true, h('p', { class: 'muted', id: 'label-quality-state' }, t('No label errors are reported: {0}.', q.withheld)), ...learningCurvePart(q), ...agreementPart);
    const max = q.confusion ? Math.max(1, ...q.confusion.flat()) : 1;
    return section('label-quality', t('Label quality'), true,
      h('div', { class: 'tiles', id: 'label-noise' },
        tile(t('noise ratio'), pct(q.noiseRatio), q.noiseRatio > 0.05), tile(t('estimated wrong labels'), pct(q.estimatedNoiseRatio)),
        tile(t('rows flagged'), fmt(q.flaggedRows), false, q.leftToConflicts
          ? t('{0} of {1} labelled rows, {2} more left to conflicting-labels', fmt(q.flaggedRows), fmt(q.checkedRows), fmt(q.leftToConflicts))
          : t('{0} of {1} labelled rows', fmt(q.flaggedRows), fmt(q.checkedRows)))),
      h('p', { class: 'note' }, t('Noise ratio: rows flagged possible-label-error over labelled rows. Estimated: the off-diagonal share of the calibrated confident joint.')),
      q.confusion && q.labels.length <= 12 ? h('div', { class: 'scroll' },
        h('h3', null, t('Given label × likely true label (estimated rows)')),
        h('table', { id: 'label-confusion', class: 'heat', style: { width: 'auto' } },
          h('thead', null, h('tr', null, h('th', null, t('given ＼ likely')), ...q.labels.map((l) => h('th', { class: 'num' }, l)))),
          h('tbody', null, ...q.confusion.map((row, i) => h('tr', null, h('th', null, q.labels[i]), ...row.map((v, j) => h('td', {
            class: 'num', title: i === j ? t('{0} rows labelled {1}', fmt(v), q.labels[i]) : t('{0} rows labelled {1} are likely {2}', fmt(v), q.labels[i], q.labels[j]),
            style: { background: v ? `color-mix(in srgb, ${i === j ? 'var(--blue)' : 'var(--red)'} ${Math.round(15 + (70 * v) / max)}%, transparent)` : '' },
          }, fmt(v)))))))) : null,
      q.perLabel ? h('table', { id: 'label-confusion' },
        h('thead', null, h('tr', null, h('th', null, t('Label')), h('th', { class: 'num' }, t('Likely missing')), h('th', { class: 'num' }, t('Likely wrong')))),
        h('tbody', null, ...q.perLabel.map((p) => h('tr', null, h('td', null, p.label), h('td', { class: 'num' }, fmt(p.wronglyAbsent)), h('td', { class: 'num' }, fmt(p.wronglyPresent)))))) : null,
      q.candidates.length ? h('h3', null, t('Likeliest label errors ({0} of {1})', fmt(q.candidates.length), fmt(q.candidateCount))) : h('p', null, t('No likely label error.')),
      q.candidates.length ? h('div', { class: 'scroll' }, h('table', { id: 'label-errors' },
        h('thead', null, h('tr', null, h('th', null, t('Row')), h('th', null, t('Text')), h('th', null, t('Given')), h('th', null, t('Suggested')), h('th', { class: 'num' }, t('P(given)')), h('th', { class: 'num' }, t('P(suggested)')))),
        h('tbody', null, ...q.candidates.map((c) => h('tr', null, h('td', null, lineLink(c.line)), h('td', null, shorten(c.text, 160)), h('td', null, c.given), h('td', null, h('b', null, c.suggested)),
          h('td', { class: 'num' }, prob(c.givenProbability)), h('td', { class: 'num' }, prob(c.suggestedProbability))))))) : null,
      ...learningCurvePart(q),
      q.rowsToLabel.length ? h('h3', null, t('Rows to label next')) : null,
      q.rowsToLabel.length ? h('div', { class: 'scroll' }, h('table', { id: 'rows-to-label' },
        h('thead', null, h('tr', null, h('th', null, t('Row')), h('th', null, t('Text')), h('th', null, t('Model\'s guess')), h('th', { class: 'num' }, t('Uncertainty')))),
        h('tbody', null, ...q.rowsToLabel.map((x) => h('tr', null, h('td', null, lineLink(x.line)), h('td', null, shorten(x.text, 160)), h('td', null, `${x.guess} (${prob(x.probability)})`), h('td', { class: 'num' }, ratio(x.score))))))) : null,
      ...agreementPart,
    );
  }

  function curveChart(/** @type {QualityReport} */ r) {
    const curve = r.labelQuality && r.labelQuality.learningCurve;
    const canvas = /** @type {HTMLCanvasElement | null} */ (document.getElementById('curve-chart'));
    if (!curve || !canvas) return;
    const c = colors();
    const points = curve.points;
    charts.push(new Chart(canvas, {
      type: 'line',
      data: {
        labels: points.map((p) => `${Math.round(p.fraction * 100)}% (${fmt(Math.round(p.trainingRows))})`),
        datasets: [
          { label: t('Accuracy'), data: points.map((p) => p.accuracy), borderColor: c.blue, backgroundColor: c.blue },
          { label: t('Macro-F1'), data: points.map((p) => p.macroF1), borderColor: c.orange, backgroundColor: c.orange },
        ],
      },
      options: {
        plugins: { tooltip: { callbacks: { label: (ctx) => ` ${ctx.dataset.label} ${pct(Number(ctx.raw))} ± ${pct(ctx.datasetIndex ? points[ctx.dataIndex].macroF1Spread : points[ctx.dataIndex].accuracySpread)}` } } },
        scales: { y: { suggestedMin: 0.5, max: 1, ticks: { callback: (v) => pct(Number(v)) } }, x: { title: { display: true, text: t('share of the training rows') } } },
      },
    }));
  }

  // ---- the page -----------------------------------------------------------------------------

  function drawCharts() {
    for (const chart of charts) chart.destroy();
    charts = [];
    if (!current || typeof Chart === 'undefined') return;
    const c = colors();
    Chart.defaults.color = c.fg;
    Chart.defaults.borderColor = c.border;
    Chart.defaults.font.family = c.font;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.animation = false;
    labelChart(current);
    lengthChart(current);
    curveChart(current);
  }

  /** @param {QualityReport} report */
  function render(report) {
    current = report;
    if (report.version !== 1) {
      main.replaceChildren(h('p', null, t('This page cannot show a version {0} report.', report.version)));
      return;
    }
    main.replaceChildren(
      header(report),
      h('div', { class: 'grid' }, labels(report), lengths(report), findings(report), clusters(report), diversity(report), splits(report), labelQuality(report)),
    );
    drawCharts();
    main.setAttribute('aria-busy', 'false');
    // Tests (and a host that screenshots) wait for this instead of sleeping.
    document.body.setAttribute('data-report', 'ready');
  }

  window.addEventListener('message', (event) => {
    const message = /** @type {ReportHostMessage} */ (event.data);
    if (message && message.type === 'update') render(message.report);
  });

  // Charts are canvases that take the theme's colours when drawn, so a theme change draws them again.
  // VS Code switches a class on body and rewrites the colour variables on html; a browser switches scheme.
  const themeWatch = new MutationObserver(drawCharts);
  themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', drawCharts);

  const data = document.getElementById('report-data');
  if (data && data.textContent) render(JSON.parse(data.textContent));
  post({ type: 'ready' });
})();
