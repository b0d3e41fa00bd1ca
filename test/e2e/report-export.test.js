// The exported quality report in a real browser: export with the built CLI, open the file in
// Chromium, read figures from the page, and save light and dark screenshots to test-output/.
// Run: npm run build && node --test test/e2e/report-export.test.js
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test-output');
const CHROMIUM = '/usr/bin/chromium';
const skip = fs.existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM} (apt-get install -y chromium); skipping the browser test`;
const HOSTILE = '</script><img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  if (skip) return;
  const { chromium } = require('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
});

/** Exports a report with the built CLI and returns the HTML file's path. */
function exportReport(dataset, htmlFile) {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first');
  fs.mkdirSync(path.dirname(htmlFile), { recursive: true });
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'tuneset.js'), 'report', dataset, '--html', htmlFile, '--force'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return htmlFile;
}

/** Opens an exported file; records CSP violations and script errors, and optionally pretends to be a webview. */
async function open(htmlFile, { webview = false } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  await page.addInitScript((asWebview) => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP blocked ${e.violatedDirective} ${e.blockedURI}`));
    if (asWebview) {
      window.__posted = [];
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });
    }
  }, webview);
  await page.goto(pathToFileURL(htmlFile).href);
  await page.waitForSelector('body[data-report="ready"]');
  await page.waitForFunction(() => ['label-chart', 'length-chart'].every((id) => window.Chart.getChart(id)));
  return { page, problems };
}

const texts = (page, selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent.trim()));

test('exported report of reviews.jsonl: figures in the page, charts drawn, light and dark screenshots', { skip }, async () => {
  const html = exportReport('test/fixtures/reviews.jsonl', path.join(OUT, 'report-export.html'));
  const data = JSON.parse(/id="report-data">([\s\S]*?)<\/script>/.exec(fs.readFileSync(html, 'utf8'))[1]);
  const { page, problems } = await open(html);

  assert.equal(await page.textContent('#file-path'), 'test/fixtures/reviews.jsonl');
  assert.equal(await page.textContent('#rows'), '12');
  assert.equal(await page.textContent('#score'), `${data.header.quality.score} / 100`);
  assert.deepEqual(await texts(page, '#penalties li span:first-child'), data.header.quality.penalties.map((p) => p.cause));
  assert.equal(await page.textContent('#balance'), '0.93');
  const labelRows = await page.$$eval('#label-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells, (c) => c.textContent)));
  assert.deepEqual(labelRows, [['positive', '5', '45.5%'], ['negative', '3', '27.3%'], ['neutral', '2', '18.2%'], ['Positive', '1', '9.1%']]);

  const charts = await page.evaluate(() => {
    const labels = window.Chart.getChart('label-chart');
    const lengths = window.Chart.getChart('length-chart');
    return { labels: labels.data.datasets[0].data, lengthRows: lengths.data.datasets[0].data.reduce((n, p) => n + p.y, 0) };
  });
  assert.deepEqual(charts.labels, [5, 3, 2, 1]);
  assert.equal(charts.lengthRows, 11, 'the histogram holds every valid row');

  const findings = await page.$$eval('#findings-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.cells[0].textContent, Number(tr.cells[2].textContent)])));
  assert.deepEqual(findings, data.findings.reduce((o, f) => ({ ...o, [f.rule]: f.count }), {}));
  assert.equal(findings['exact-duplicate'], 2);
  await page.click('#findings-table tr[data-rule="exact-duplicate"]');
  assert.deepEqual(await texts(page, '#rule-lines .line'), ['line 3', 'line 5']);
  assert.equal(await page.$$eval('#rule-lines button', (b) => b.length), 0, 'outside VS Code, lines are text, not buttons');
  // The near-duplicate section is check's own (issue 17): computed whenever the rule is on; this file has none.
  assert.equal(await page.textContent('#clusters-state'), 'None at Jaccard similarity 0.8 or above.');
  assert.ok((await texts(page, '#top-terms .term')).includes('battery'));

  await page.screenshot({ path: path.join(OUT, 'report-export.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  // The charts redraw on the colour-scheme change; wait until they carry the dark foreground.
  await page.waitForFunction(() => window.Chart.defaults.color === getComputedStyle(document.documentElement).getPropertyValue('--fg').trim());
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(30, 30, 30)');
  await page.screenshot({ path: path.join(OUT, 'report-export-dark.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('hostile rows render as text; split siblings are compared side by side', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuneset-e2e-'));
  const rows = (...r) => r.map(([text, label]) => JSON.stringify({ text, label })).join('\n') + '\n';
  fs.writeFileSync(path.join(dir, 'reviews.train.jsonl'), rows(
    [`${HOSTILE} great phone`, HOSTILE], ['battery died in a day', 'negative'], ['fast delivery, works well', 'positive'],
    ['screen cracked on arrival', 'negative'], ['exactly as described', 'positive'], ['good value for money', 'positive'],
  ));
  fs.writeFileSync(path.join(dir, 'reviews.val.jsonl'), rows(['Battery died in a  day', 'negative'], ['love the camera', 'positive']));
  fs.writeFileSync(path.join(dir, 'reviews.test.jsonl'), rows(['exactly as described', 'positive'], ['too heavy', 'negative'], ['meh', 'neutral']));
  const html = exportReport(path.join(dir, 'reviews.train.jsonl'), path.join(OUT, 'report-export-splits.html'));
  const { page, problems } = await open(html);

  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no injected script ran');
  assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0, 'no injected element exists');
  assert.ok((await texts(page, '#label-table td')).includes(HOSTILE), 'the label shows as the text it is');
  const splits = await page.$$eval('#split-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.split, tr.cells[2].textContent]));
  assert.deepEqual(splits, [['train', '6'], ['val', '2'], ['test', '3']]);
  const leakage = await page.$$eval('#leakage-table tbody tr', (trs) => trs.map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent]));
  assert.deepEqual(leakage, [['train and val', '1'], ['train and test', '1'], ['val and test', '0']]);
  await page.screenshot({ path: path.join(OUT, 'report-export-splits.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('in a webview, a click on a line asks the host to reveal it', { skip }, async () => {
  const html = exportReport('test/fixtures/reviews.jsonl', path.join(OUT, 'report-export.html'));
  const { page } = await open(html, { webview: true });
  assert.deepEqual(await page.evaluate(() => window.__posted), [{ type: 'ready' }]);
  await page.click('#findings-table tr[data-rule="invalid-json"]');
  await page.click('#rule-lines button.line');
  assert.deepEqual(await page.evaluate(() => window.__posted), [{ type: 'ready' }, { type: 'reveal', line: 9 }]);
  await page.close();
});
