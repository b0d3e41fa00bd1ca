'use strict';
// Steps of the UI test about living in the editor (issue #21): the dataset view, and typing in a
// 100k-row file against the same bytes as plain text (figures printed and saved, not asserted).
const fs = require('fs');
const path = require('path');
const { bigJsonl, statusBarLatency, summarize, typeAndMeasure } = require('./harness/latency');

/** The dataset view on reviews/train.jsonl: rows shown, filtered by a rule, a row's findings, Go to line; screenshots in both themes. */
async function datasetViewSteps(ui, step, pickTheme, workspace) {
  await ui.openFile('reviews/train.jsonl');
  await ui.statusBarText('/100');
  await ui.runCommand('Tuneset: Open Dataset View', { dataset: 'reviews/train.jsonl' });
  const view = ui.webviewFrame();
  await view.locator('#rows .row[data-line="1"]').waitFor();
  const all = (await view.locator('#counts').innerText()).trim();
  if (all !== '65 rows') throw new Error(`dataset view counts "${all}", expected 65 rows`);
  await ui.screenshot('dataset-view-light');
  await view.locator('#rule-filter').selectOption('exact-duplicate');
  await view.locator('#counts', { hasText: '4 of 65 rows' }).waitFor();
  const lines = await view.locator('#rows .row[data-line]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-line'))));
  if (JSON.stringify(lines) !== '[4,48,51,52]') throw new Error(`exact-duplicate rows are ${JSON.stringify(lines)}`);
  await view.locator('#rows .row[data-line="48"]').click();
  await view.locator('#details li', { hasText: 'exact-duplicate' }).waitFor();
  await pickTheme(ui, 'Dark Modern', '.monaco-workbench.vs-dark');
  await view.locator('#details li', { hasText: 'exact-duplicate' }).waitFor();
  await ui.screenshot('dataset-view-dark');
  await view.locator('#search').fill('battery');
  await view.locator('#counts', { hasText: /^\d+ of 65 rows$/ }).waitFor();
  await ui.screenshot('dataset-view-search-dark');
  await view.locator('#search').fill('');
  await view.locator('#rows .row[data-line="48"]').click();
  await view.locator('#reveal').click();
  await ui.statusBarText('Ln 48,');
  step('dataset view: 65 rows, filtered to 4 exact duplicates, a row\'s findings shown, Go to line revealed line 48');
  await bulkDeleteStep(ui, view, step, workspace);
  await ui.runCommand('View: Close All Editors');
  await chatViewStep(ui, step);
}

/**
 * Bulk delete in the dataset view: the 4 exact duplicates filtered, deleted after the view asks, as
 * one edit of the document (saved: 61 rows, no duplicate left); one Undo in the text editor and a
 * save give back the file byte for byte.
 */
async function bulkDeleteStep(ui, view, step, workspace) {
  const file = path.join(workspace, 'reviews', 'train.jsonl');
  const original = fs.readFileSync(file, 'utf8');
  try {
    await ui.page.locator('.tabs-container .tab', { hasText: 'Rows: train.jsonl' }).first().click();
    await view.locator('#rule-filter').selectOption('exact-duplicate');
    await view.locator('#counts', { hasText: '4 of 65 rows' }).waitFor();
    await view.locator('#delete-rows').click();
    await view.locator('#confirm.open', { hasText: 'Delete 4 rows?' }).waitFor();
    await ui.screenshot('dataset-view-confirm-dark');
    await view.locator('#confirm-yes').click();
    await view.locator('#action-status', { hasText: '4 rows changed' }).waitFor();
    await ui.notificationText('Tuneset deleted 4 rows');
    await view.locator('#counts', { hasText: '0 of 61 rows' }).waitFor();
    await ui.page.locator('.tabs-container .tab', { hasText: /^train\.jsonl/ }).first().click();
    await ui.runCommand('File: Save');
    const saved = await changedFile(file, original);
    const rows = saved.split('\n').filter(Boolean);
    // The sample keeps one row of broken JSON (a finding of its own), which stays.
    const texts = rows.flatMap((l) => { try { return [String(JSON.parse(l).text).trim().toLowerCase()]; } catch { return []; } });
    if (rows.length !== 61 || new Set(texts).size !== texts.length) throw new Error(`after the bulk delete: ${rows.length} rows, ${texts.length - new Set(texts).size} repeated texts`);
    await ui.runCommand('Undo');
    await ui.runCommand('File: Save');
    const restored = await changedFile(file, saved);
    if (restored !== original) throw new Error(`one Undo did not restore the file byte for byte: ${restored.split('\n').filter(Boolean).length} rows of ${original.split('\n').filter(Boolean).length}, ${restored.length} characters of ${original.length}`);
    step('dataset view: the 4 exact duplicates deleted as one edit after a question (61 rows saved), one Undo restored the file byte for byte');
  } finally {
    // Later steps read this sample: a failed step must not leave it changed.
    if (fs.readFileSync(file, 'utf8') !== original) fs.writeFileSync(file, original);
  }
}

/** A chat dataset in the view: a conversation shown as its turns. */
async function chatViewStep(ui, step) {
  await ui.openFile('support-chat.jsonl');
  await ui.statusBarText('/100');
  await ui.runCommand('Tuneset: Open Dataset View', { dataset: 'support-chat.jsonl' });
  const view = ui.webviewFrame();
  await view.locator('#rows .row[data-line="1"]').click();
  const roles = await view.locator('#details .turn .role').allInnerTexts();
  if (!roles.includes('user') || !roles.includes('assistant')) throw new Error(`a conversation's turns: ${JSON.stringify(roles)}`);
  await ui.screenshot('dataset-view-chat-dark');
  step(`dataset view of a chat file: line 1 shown as turns (${roles.join(' → ')})`);
  await ui.runCommand('View: Close All Editors');
}

/** A chat dataset's report shows its roles and messages per conversation where a classification report shows labels. */
async function chatReportStep(ui, step) {
  await ui.openFile('support-chat.jsonl');
  await ui.statusBarText('/100');
  await ui.runCommand('Tuneset: Show Quality Report', { dataset: 'support-chat.jsonl' });
  const report = ui.webviewFrame();
  await report.locator('body[data-report="ready"]').waitFor();
  const roles = await report.locator('#role-table tbody tr td:first-child').allInnerTexts();
  if (!roles.includes('user') || !roles.includes('assistant')) throw new Error(`chat report roles: ${JSON.stringify(roles)}`);
  await report.locator('#findings-table tr[data-rule]').first().click();
  await report.locator('#rule-lines li .row-text').first().waitFor();
  await ui.screenshot('report-chat');
  step(`chat report: roles ${roles.join(', ')}; a rule's rows listed with their text`);
  await ui.runCommand('View: Close All Editors');
}

/** Opens a file from the Explorer, agreeing to open it if VS Code asks (files over 10 MB). */
async function openFromExplorer(ui, name) {
  await ui.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  const anyway = ui.page.getByRole('button', { name: 'Open Anyway' });
  if (await anyway.waitFor({ timeout: 5000 }).then(() => true, () => false)) await anyway.click();
  await ui.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  // The Explorer keeps the focus when it opens a file: the keys typed next go to the editor.
  await ui.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

/** Moves the cursor with Go to Line/Column ("line:column") and waits for the status bar to say it is there. */
async function goTo(ui, where) {
  await ui.runCommand('Go to Line/Column...');
  await ui.page.keyboard.type(where);
  await ui.page.keyboard.press('Enter');
  const [line, column] = where.split(':');
  await ui.statusBarText(`Ln ${line}, Col ${column}`);
}

const TYPED = 'quick brown fox jumps over it';

/**
 * Typing in a 100k-row JSONL file against the same bytes saved as .txt: keystroke to painted frame,
 * edit to status bar, open to first score. Returns the figures (also written to outDir/typing-latency.json).
 */
async function typingSteps(ui, workspace, step) {
  const text = bigJsonl(100000);
  fs.writeFileSync(path.join(workspace, 'typing.jsonl'), text);
  fs.writeFileSync(path.join(workspace, 'typing.txt'), text);
  const figures = { rows: 100000, bytes: Buffer.byteLength(text) };

  await openFromExplorer(ui, 'typing.txt');
  await goTo(ui, '50000:12');
  figures.plainText = summarize(await typeAndMeasure(ui.page, TYPED));
  await ui.runCommand('File: Revert File');
  await ui.runCommand('View: Close All Editors');

  const opened = Date.now();
  await openFromExplorer(ui, 'typing.jsonl');
  await ui.statusBarText('/100', { timeout: 120000 });
  figures.openToScoreMs = Date.now() - opened;
  await goTo(ui, '50000:12');
  figures.jsonl = summarize(await typeAndMeasure(ui.page, TYPED));
  // An "x" at the start of a row makes it invalid JSON (one error more), Backspace mends it: each
  // changes the status bar's error count.
  const status = [];
  for (const line of [20000, 60000, 90000]) {
    await goTo(ui, `${line}:1`);
    await ui.page.waitForTimeout(1500);
    for (const key of ['x', 'Backspace']) {
      const at = new Date().toISOString().slice(11, 23);
      const ms = await statusBarLatency(ui.page, key);
      status.push(ms);
      // When each edit was made, to read against the server's log (test-output/ui/tuneset-server.log).
      console.log(`[ui]   ${at} ${key} at ${line}:1 → status bar ${ms === null ? 'not within 60 s' : `${Math.round(ms)} ms`}`);
      if (key === 'x') await ui.page.waitForTimeout(1500);
    }
  }
  figures.editToStatusBar = summarize(status);
  if (!figures.editToStatusBar.n) throw new Error('the status bar never showed an edit\'s new error count within 60 s');
  figures.ratio = Math.round((100 * figures.jsonl.median) / figures.plainText.median) / 100;
  await ui.runCommand('File: Revert File');
  await ui.runCommand('View: Close All Editors');
  fs.writeFileSync(path.join(ui.outDir, 'typing-latency.json'), JSON.stringify(figures, null, 2) + '\n');
  step(`typing in 100k rows: keystroke→paint median ${figures.jsonl.median} ms, p90 ${figures.jsonl.p90} ms (same bytes as .txt: median ${figures.plainText.median} ms, p90 ${figures.plainText.p90} ms; ${figures.ratio}×); `
    + `edit→status bar median ${figures.editToStatusBar.median} ms, max ${figures.editToStatusBar.max} ms${figures.editToStatusBar.missed ? ` (${figures.editToStatusBar.missed} of 6 not within 60 s)` : ''}; open→first score ${figures.openToScoreMs} ms`);
  return figures;
}

/**
 * The file's text once it differs from `before` and reads the same twice 200 ms apart (a save may be
 * read half written: the file truncated, then written); an error after 20 s.
 */
async function changedFile(file, before) {
  let last;
  for (let waited = 0; waited < 20000; waited += 200) {
    const now = fs.readFileSync(file, 'utf8');
    if (now !== before && now === last) return now;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${path.basename(file)} was not saved (${last === before ? 'unchanged' : 'still changing'} after 20 s)`);
}

module.exports = { changedFile, chatReportStep, datasetViewSteps, typingSteps };
