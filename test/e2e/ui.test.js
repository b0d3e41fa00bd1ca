// The extension as a person sees it: squiggles in the editor, the Problems panel, the status bar,
// palette commands; screenshots are saved under test-output/ui for people to look at.
const { launchUi } = require('./harness/ui');
const { changedFile, chatReportStep, datasetViewSteps, typingSteps } = require('./editorSteps');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

/** The UI test runs the packaged extension (the .vsix a user installs), so what .vscodeignore leaves out is tested too. */
async function run({ workspace, outDir, vsix }) {
  const ui = await launchUi({ folder: workspace, ...(vsix ? { vsix } : { extensionDevelopmentPath: ROOT }), outDir });
  const step = (name) => console.log(`[ui] ${name}`);
  let ok = true;
  try {
    await ui.openFile('train.jsonl');
    await ui.waitForSquiggle({ severity: 'error' });
    step('error squiggles shown');
    await ui.statusBarText('/100');
    step('status bar shows the quality score');
    await ui.screenshot('editor-squiggles');
    await ui.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await ui.problemsPanelText({ contains: 'Invalid JSON: Unexpected token' });
    await ui.problemsPanelText({ contains: 'contains a payment card number' });
    step('Problems panel lists the findings');
    await ui.screenshot('problems-panel');
    await ui.runCommand('Tuneset: Check Workspace');
    await ui.notificationText('Tuneset checked');
    step('Check Workspace ran from the palette');
    await ui.runCommand('Tuneset: Show File Summary');
    await ui.page.locator('.quick-input-widget', { hasText: 'Quality' }).waitFor();
    await ui.screenshot('file-summary');
    await ui.page.keyboard.press('Escape');
    step('file summary shown');

    // A long check can be stopped: VS Code shows a language server's progress with no Cancel button,
    // so Tuneset puts its own "Cancel check" beside it while a check runs.
    fs.writeFileSync(path.join(workspace, 'big.csv'), bigCsv(100000));
    // Opened from the Explorer (Quick Open's file index may not have seen the new file yet).
    await ui.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'big.csv' }).first().click();
    // VS Code in the browser asks before it opens a file over 10 MB, as it would for a user.
    await ui.page.getByRole('button', { name: 'Open Anyway' }).click();
    const cancel = ui.page.locator('.part.statusbar .statusbar-item', { hasText: 'Cancel check' }).first();
    await ui.statusBarText('Cancel check');
    await ui.screenshot('cancel-check');
    await cancel.click();
    await ui.notificationText('Tuneset stopped checking');
    await cancel.waitFor({ state: 'hidden' });
    step('a long check stopped from the status bar');
    await ui.runCommand('View: Close All Editors');
    // Only once its editor is gone: VS Code asks about an editor whose file vanished under it (a modal
    // "Unable to open 'big.csv'" that then holds up every later step).
    await ui.page.locator('.tabs-container .tab', { hasText: 'big.csv' }).waitFor({ state: 'detached', timeout: 30000 });
    // The file goes again: the steps below time panels, which a check of it from disk would hold up.
    // VS Code may still ask about it once it is gone, closed tab or not (a CI run met the modal "Unable
    // to open 'big.csv'" after the tab had gone): a person would cancel it, and so does the test,
    // whenever it shows up in a later step.
    await ui.page.addLocatorHandler(ui.page.locator('.monaco-dialog-box', { hasText: "Unable to open 'big.csv'" }), async (dialog) => {
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });
    fs.unlinkSync(path.join(workspace, 'big.csv'));
    // A modal that comes within a moment of the file going is waited for (3 s) and cancelled here, so
    // that it cannot close the next step's palette (a CI run: the palette opened, the modal closed it,
    // typing timed out); the handler above covers one that comes later.
    const unableToOpen = ui.page.locator('.monaco-dialog-box', { hasText: "Unable to open 'big.csv'" });
    if (await unableToOpen.waitFor({ timeout: 3000 }).then(() => true, () => false)) {
      await unableToOpen.getByRole('button', { name: 'Cancel' }).click().catch(() => {});
      await unableToOpen.waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
    }
    await ui.runCommand('Notifications: Clear All Notifications');

    await ui.openFile('reviews/train.jsonl');
    await ui.runCommand('Tuneset: Split Dataset…', { dataset: 'reviews/train.jsonl' });
    const split = ui.webviewFrame();
    await split.locator('#preview-table tr[data-split="train"]').waitFor();
    const trainRow = await split.locator('#preview-table tr[data-split="train"]').innerText();
    if (!/^train\s+(4[5-9]|5\d)\s/.test(trainRow)) throw new Error(`unexpected train preview: ${trainRow}`);
    await split.locator('#stratify').check();
    await split.locator('#group-near-duplicates').check();
    await split.locator('#status', { hasText: 'rows read' }).waitFor();
    // Ratios that are not numbers: the page says what to type, and Write is off until they are fixed.
    await split.locator('#ratios').fill('80, ten, 10');
    await split.locator('.problems', { hasText: 'Ratios must be numbers of 0 or more, such as 80, 10, 10' }).waitFor();
    if (!(await split.locator('#write').isDisabled())) throw new Error('Write is enabled while the ratios are invalid');
    await ui.screenshot('split-invalid');
    await split.locator('#ratios').fill('80, 10, 10');
    await split.locator('#status', { hasText: 'rows read' }).waitFor();
    await split.locator('#write:not([disabled])').waitFor();
    step('split: invalid ratios named in plain words, Write disabled until fixed');
    await ui.runCommand('View: Toggle Panel Visibility');
    await ui.screenshot('split-panel');
    await split.locator('#write').click();
    await split.locator('#status[data-written]').waitFor();
    // The toast names the new files and offers to open them.
    await ui.page.locator('.notifications-toasts .notification-toast', { hasText: 'Tuneset wrote' }).getByRole('button', { name: 'Reveal in Explorer' }).waitFor();
    // The source is named for a split already: its parts go in a folder of its name (never train.train.jsonl).
    for (const name of ['train/train.jsonl', 'train/val.jsonl', 'train/test.jsonl', 'train.split.json']) {
      if (!fs.existsSync(path.join(workspace, 'reviews', name))) throw new Error(`split did not write reviews/${name}`);
    }
    const written = ['train', 'val', 'test'].map((s) => fs.readFileSync(path.join(workspace, 'reviews', 'train', `${s}.jsonl`), 'utf8').split('\n').filter(Boolean)).flat();
    const source = fs.readFileSync(path.join(workspace, 'reviews', 'train.jsonl'), 'utf8').split('\n').filter(Boolean);
    if (written.length !== source.length - 1) throw new Error(`split wrote ${written.length} rows of ${source.length} (one is invalid JSON)`);
    step('split panel previewed and wrote train/val/test + manifest');
    await ui.runCommand('View: Close All Editors');

    await ui.openFile('reviews/train.jsonl');
    await ui.runCommand('Notifications: Clear All Notifications');
    await pickTheme(ui, 'Dark Modern', '.monaco-workbench.vs-dark');
    await ui.runCommand('Tuneset: Show Quality Report', { dataset: 'reviews/train.jsonl' });
    const report = ui.webviewFrame();
    await report.locator('body[data-report="ready"]').waitFor();
    const score = (await report.locator('#score').innerText()).trim();
    if (!/^\d+\s*\/\s*100$/.test(score)) throw new Error(`report score reads "${score}"`);
    await ui.screenshot('report-top-dark');
    await report.locator('#findings-table tr[data-rule="invalid-json"]').click();
    await report.locator('#rule-lines li').first().waitFor();
    await ui.screenshot('report-dark');
    await report.locator('#rule-lines li button, #rule-lines li a').first().click();
    await ui.statusBarText('Ln 19,');
    step(`report panel: score ${score}; a rule's row revealed line 19 in the editor`);
    await pickTheme(ui, 'Light Modern', '.monaco-workbench.vs');
    await ui.runCommand('Tuneset: Show Quality Report', { dataset: 'reviews/train.jsonl' });
    await report.locator('body[data-report="ready"]').waitFor();
    await ui.screenshot('report-light');
    step('report screenshots in dark and light themes');
    await ui.runCommand('View: Close All Editors');

    // The status bar still follows the file once a report panel has been opened and closed (its
    // handler of the summary notification used to replace the status bar's for good).
    await ui.openFile('reviews/train.jsonl');
    const before = await ui.statusBarText('/100');
    await ui.runCommand('Go to Line/Column...');
    await ui.page.keyboard.type('19');
    await ui.page.keyboard.press('Enter');
    await ui.runCommand('Delete Line');
    await ui.page.locator('.part.statusbar .statusbar-item', { hasText: '/100' }).filter({ hasNotText: before }).first().waitFor();
    const after = await ui.statusBarText('/100');
    step(`status bar followed an edit after the report closed: "${before.replace(/\s+/g, ' ').trim()}" → "${after.replace(/\s+/g, ' ').trim()}"`);
    await ui.runCommand('Undo');
    await ui.page.locator('.part.statusbar .statusbar-item', { hasText: before }).first().waitFor();
    await ui.runCommand('View: Close All Editors');

    await datasetViewSteps(ui, step, pickTheme, workspace);
    await chatReportStep(ui, step);

    await ui.openFile('reviews/train.jsonl');
    await ui.runCommand('Tuneset: Augment Dataset…', { dataset: 'reviews/train.jsonl' });
    const augment = ui.webviewFrame();
    await augment.locator('#samples tbody tr mark').first().waitFor();
    const intro = await augment.locator('p.muted').innerText();
    if (!/train split of reviews\/train\.split\.json/.test(intro)) throw new Error(`augment should follow the split manifest: ${intro}`);
    await ui.screenshot('augment-panel');
    await augment.locator('#write').click();
    await augment.locator('#status[data-written]').waitFor();
    const out = path.join(workspace, 'reviews', 'train', 'train.augmented.jsonl');
    const rows = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const added = rows.filter((r) => typeof r.augmented_from === 'number');
    if (!added.length || added.length > rows.length / 2 + 1) throw new Error(`augmented file has ${added.length} new rows of ${rows.length}`);
    step(`augment panel previewed marked changes and wrote ${added.length} new rows from the train split`);
    await ui.runCommand('View: Close All Editors');

    await suggestStep(ui, workspace, step);
    await typingSteps(ui, workspace, step);
    return true;
  } catch (e) {
    await failed(ui, e);
    ok = false;
    return false;
  } finally {
    await ui.close();
    if (!ok) printServerLog(outDir);
  }
}

/**
 * "Suggest Rows to Label" (#18): a file with unlabelled rows and an invalid line; the panel ranks the
 * unlabelled rows (never the invalid one), a row's guess is accepted and another row's label changed,
 * and Apply writes both into the document as one edit: one Undo takes both back.
 */
async function suggestStep(ui, workspace, step) {
  fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'labels', 'reviews-unlabelled.jsonl'), path.join(workspace, 'unlabelled.jsonl'));
  await ui.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'unlabelled.jsonl' }).first().click();
  await ui.runCommand('Tuneset: Suggest Rows to Label', { dataset: 'unlabelled.jsonl' });
  const panel = ui.webviewFrame();
  await panel.locator('#rows tbody tr').first().waitFor();
  const lines = await panel.locator('#rows tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-line'))));
  if (lines.length !== 6 || lines.some((l) => [153, 156, 158].includes(l))) throw new Error(`suggested lines ${lines.join(', ')}`);
  const [first, second] = lines;
  await panel.locator(`#rows tr[data-line="${first}"] button.accept`).click();
  const guess = await panel.locator(`#rows tr[data-line="${first}"] select.choice`).inputValue();
  const options = await panel.locator(`#rows tr[data-line="${second}"] select.choice option`).evaluateAll((os) => os.map((o) => o.value));
  const other = options[options.length - 1];
  await panel.locator(`#rows tr[data-line="${second}"] select.choice`).selectOption(other);
  await ui.screenshot('suggest-panel');
  await panel.locator('#apply:not([disabled])').click();
  await panel.locator('#status', { hasText: 'Wrote 2 labels' }).waitFor();
  await ui.notificationText('Tuneset set 2 labels');
  // The edit is the document's, unsaved: saved from its editor (the panel, beside it, has the focus).
  await ui.page.locator('.tabs-container .tab', { hasText: 'unlabelled.jsonl' }).first().click();
  const file = path.join(workspace, 'unlabelled.jsonl');
  const original = fs.readFileSync(file, 'utf8');
  await ui.runCommand('File: Save');
  // Saving is asynchronous: the file is read once it has changed.
  const saved = (await changedFile(file, original)).split('\n');
  if (JSON.parse(saved[first - 1]).label !== guess || JSON.parse(saved[second - 1]).label !== other) throw new Error(`applied labels: ${saved[first - 1]} / ${saved[second - 1]}`);
  // One Undo in the editor takes both labels back.
  const labelled = saved.join('\n');
  await ui.runCommand('Undo');
  await ui.runCommand('File: Save');
  if ((await changedFile(file, labelled)) !== original) throw new Error('one Undo did not restore the file');
  step(`suggest panel ranked ${lines.length} unlabelled rows, wrote 2 chosen labels as one edit, and one Undo took them back`);
  await ui.runCommand('View: Close All Editors');
}

/** Says where a run failed: the error's first lines, the step's code line, and a screenshot of the window as it was. */
async function failed(ui, e) {
  const shot = await ui.screenshot('failure-final').catch(() => 'no screenshot');
  const at = (e.stack || '').split('\n').find((l) => /ui\.test\.js|editorSteps\.js/.test(l)) || '';
  console.error(`[ui] FAILED: ${e.message.split('\n').slice(0, 3).join(' | ')}\n  at ${at.trim()}\n  screenshot: ${shot}`);
  const screen = await ui.describeScreen().catch((err) => `(screen not read: ${err.message})`);
  console.error(`[ui] on screen:\n${screen.replace(/^/gm, '  ')}`);
}

/** The tail of the language server's log (kept by ui.close()), for a failure's output. */
function printServerLog(outDir) {
  const file = path.join(outDir, 'tuneset-server.log');
  if (!fs.existsSync(file)) return;
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  console.error(`[ui] the server's log, last ${Math.min(40, lines.length)} of ${lines.length} lines:\n${lines.slice(-40).map((l) => `  ${l}`).join('\n')}`);
}

/** Only the steps of living in the editor (the dataset view, typing latency): `node test/e2e/run.js editor`. */
async function runEditor({ workspace, outDir, vsix }) {
  const ui = await launchUi({ folder: workspace, vsix, outDir });
  const step = (name) => console.log(`[ui] ${name}`);
  let ok = true;
  try {
    await datasetViewSteps(ui, step, pickTheme, workspace);
    await chatReportStep(ui, step);
    await suggestStep(ui, workspace, step);
    await typingSteps(ui, workspace, step);
    return true;
  } catch (e) {
    await failed(ui, e);
    ok = false;
    return false;
  } finally {
    await ui.close();
    if (!ok) printServerLog(outDir);
  }
}

/** A CSV of `n` made-up reviews (seeded words), big enough that its check runs for seconds. */
function bigCsv(n) {
  const words = ('the battery lasts two full days and charging is quick strap broke on second day would recommend it to a friend screen bright '
    + 'sound clear price fair delivery late box damaged colour matches photo fits well size runs small support answered fast refund took').split(' ');
  let seed = 11;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const lines = ['text,label'];
  for (let i = 0; i < n; i++) {
    const text = Array.from({ length: 15 + Math.floor(next() * 20) }, () => words[Math.floor(next() * words.length)]).join(' ');
    lines.push(`"Review ${i}: ${text}.",${['positive', 'negative', 'neutral'][i % 3]}`);
  }
  return lines.join('\n') + '\n';
}

/** Switches the colour theme through its picker, as a person would. */
async function pickTheme(ui, name, workbenchClass) {
  await ui.runCommand('Preferences: Color Theme');
  await ui.page.keyboard.type(name);
  await ui.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await ui.page.keyboard.press('Enter');
  await ui.page.locator(workbenchClass).waitFor();
}

module.exports = { run, runEditor };
