import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, buildSplitComparison, computeDiversity, datasetRowHashes, renderReportHtml, renderReportMarkdown, reportJson } from '../../server/src/engine';
import { analyze, jsonl } from './helpers';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '</script><img src=x onerror=alert(1)>';

/** A dataset whose texts and labels are attacks on the page. */
function hostileReport() {
  const rows = jsonl({ text: `${SCRIPT} hello`, label: IMG }, { text: `${IMG} world`, label: SCRIPT }, { text: `${IMG} world`, label: 'ok' });
  const a = analyze(rows, 'x<y>.jsonl');
  return buildReport(a, { diversity: computeDiversity([`${SCRIPT} ${IMG}`]) });
}

const page = (html: string) => ({
  json: /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '',
  outside: html.replace(/<script type="application\/json" id="report-data">[\s\S]*?<\/script>/, ''),
});

test('XSS: dataset strings appear only inside the JSON block, with < > & escaped, and round-trip intact', () => {
  const report = hostileReport();
  const html = renderReportHtml(report, { scripts: [{ inline: '/* chart */' }, { inline: '/* page */' }], styles: [{ inline: 'body{}' }], nonce: 'abc123' });
  const { json, outside } = page(html);
  assert.ok(json.length > 0);
  assert.doesNotMatch(json, /[<>]/, 'no raw angle bracket can end the block');
  assert.match(json, /\\u003c\/script\\u003e\\u003cimg src=x onerror=alert\(1\)\\u003e/);
  assert.deepEqual(JSON.parse(json), report, 'the page reads back exactly the report');
  assert.doesNotMatch(outside, /<img|alert\(1\)|onerror/i, 'nothing of the data outside the block');
  // Every script element is ours: the JSON block, then the two inlined scripts with the nonce.
  assert.deepEqual(html.match(/<script[^>]*>/g), ['<script type="application/json" id="report-data">', '<script nonce="abc123">', '<script nonce="abc123">']);
  assert.match(outside, /<title>Quality report: x&lt;y&gt;\.jsonl<\/title>/);
});

test('CSP: nothing but the nonce runs; the webview variant loads by URL and allows its cspSource', () => {
  const report = buildReport(analyze(jsonl({ text: 'a b c', label: 'x' })));
  const exported = renderReportHtml(report, { scripts: [{ inline: 'x()' }], styles: [{ inline: '' }], nonce: 'n0nce' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(exported)?.[1];
  assert.equal(csp, "default-src 'none'; img-src data:; style-src 'nonce-n0nce'; script-src 'nonce-n0nce'");
  const panel = renderReportHtml(report, {
    scripts: [{ src: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/dist/chart.umd.js' }, { src: 'https://x/media/report.js?a=1&b=2' }],
    styles: [{ href: 'https://x/media/report.css' }],
    nonce: 'N1',
    cspSource: 'https://*.vscode-cdn.net',
  });
  assert.match(panel, /content="default-src 'none'; img-src data: https:\/\/\*\.vscode-cdn\.net; style-src 'nonce-N1' https:\/\/\*\.vscode-cdn\.net; font-src https:\/\/\*\.vscode-cdn\.net; script-src 'nonce-N1'"/);
  assert.match(panel, /<script nonce="N1" src="https:\/\/x\/media\/report\.js\?a=1&amp;b=2"><\/script>/);
  assert.match(panel, /<link rel="stylesheet" nonce="N1" href="https:\/\/x\/media\/report\.css">/);
  assert.throws(() => renderReportHtml(report, { scripts: [], styles: [], nonce: "x' 'unsafe-inline" }), /nonce/);
  const made = /'nonce-([0-9a-f]+)'/.exec(renderReportHtml(report, { scripts: [], styles: [] }))?.[1];
  assert.equal(made?.length, 36, 'a random nonce when the host brings none');
});

test('an inlined script cannot close its own element early', () => {
  const html = renderReportHtml(buildReport(analyze(jsonl({ text: 'a', label: 'x' }))), { scripts: [{ inline: 'var s = "</script><b>";' }], styles: [], nonce: 'n' });
  assert.match(html, /var s = "<\\\/script><b>";/);
});

test('reportJson keeps line and paragraph separators escaped too', () => {
  const report = buildReport(analyze(jsonl({ text: 'a', label: 'x\u2028y&z' })));
  assert.match(reportJson(report), /x\\u2028y\\u0026z/);
});

test('the page script never parses data as markup', () => {
  const source = readFileSync(join(__dirname, '..', '..', 'media', 'report.js'), 'utf8');
  assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|new Function|eval\(/);
});

test('Markdown data card: key figures, tables, and dataset strings escaped', () => {
  const md = renderReportMarkdown(hostileReport());
  const lines = md.split('\n');
  assert.equal(lines[0], '# Data card: x&lt;y&gt;.jsonl');
  assert.ok(lines.includes('| Rows | 3 (3 valid) |'));
  assert.ok(lines.includes('| Label | Rows | Share |  |'));
  assert.ok(lines.includes('| &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; | 1 | 33.3% |  |'));
  assert.ok(lines.includes('## Findings per rule'));
  assert.ok(lines.some((l) => l.startsWith('| `exact-duplicate` | warning | 1 | 3 |')));
  assert.ok(lines.includes('## Near-duplicate clusters'));
  assert.ok(lines.includes('Not computed for this report.'));
  assert.ok(lines.includes('## Diversity'));
  assert.doesNotMatch(md, /<(script|img)/i);
});

test('Markdown data card: text length, diversity and splits tables', () => {
  const rows = jsonl({ text: 'alpha beta', label: 'a|b' }, { text: 'gamma', label: 'c' });
  const a = analyze(rows, 'd.train.jsonl');
  const v = analyze(jsonl({ text: 'Alpha  beta', label: 'c' }), 'd.val.jsonl');
  const splits = buildSplitComparison([
    { split: 'train', report: buildReport(a), hashes: datasetRowHashes(a) },
    { split: 'val', report: buildReport(v), hashes: datasetRowHashes(v) },
  ]);
  const md = renderReportMarkdown(buildReport(a, { diversity: computeDiversity(['alpha beta', 'gamma']), splits }));
  const lines = md.split('\n');
  assert.ok(lines.includes('| Min | Median | p95 | Max | Mean | Over the limit | Length outliers |'));
  // 2 rows, 3 words, 3 distinct; one bigram (alpha·beta), distinct.
  assert.ok(lines.includes('| 2 | 3 | 3 | 1.00 | 100.0% |'));
  assert.ok(lines.includes('Top terms: alpha (1), beta (1), gamma (1)'));
  assert.ok(lines.includes('| Split | File | Rows | Share | Score | c | a\\|b |'), 'labels escaped so a | cannot split the table');
  assert.ok(lines.includes('| train and val | 1 |'));
});
