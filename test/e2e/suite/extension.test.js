const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const vscode = require('vscode');
const { codeOf, diagnosticsWhen, open } = require('./util');

suite('Tuneset in VS Code', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension('tuneset.tuneset').activate();
  });

  test('diagnostics for an open dataset: rule code, docs link, precise range, related first occurrence', async () => {
    const { uri, doc } = await open('reviews/train.jsonl');
    assert.strictEqual(doc.languageId, 'jsonl');
    const diags = await diagnosticsWhen(uri, (d) => d.some((x) => codeOf(x) === 'exact-duplicate'));
    const codes = new Set(diags.map(codeOf));
    for (const rule of ['exact-duplicate', 'conflicting-labels', 'label-variant', 'invalid-json', 'pii-email', 'secret', 'label-imbalance']) assert.ok(codes.has(rule), `missing ${rule}`);
    const dup = diags.find((x) => codeOf(x) === 'exact-duplicate');
    assert.match(dup.code.target.toString(), /README\.md#rule-exact-duplicate/);
    assert.strictEqual(dup.relatedInformation[0].location.range.start.line, 0, 'points at the first occurrence');
    assert.strictEqual(dup.range.start.character, 9, 'the text value, not the whole line');
    assert.strictEqual(dup.severity, vscode.DiagnosticSeverity.Warning);
  });

  test('a quick fix is one undoable edit', async () => {
    const { uri, doc } = await open('reviews/train.jsonl');
    const before = doc.getText();
    const diags = await diagnosticsWhen(uri, (d) => d.some((x) => codeOf(x) === 'whitespace' && /leading/.test(x.message)));
    const ws = diags.find((x) => codeOf(x) === 'whitespace' && /leading/.test(x.message));
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, ws.range, vscode.CodeActionKind.QuickFix.value);
    const trim = actions.find((a) => a.title === 'Trim whitespace');
    assert.ok(trim, `no Trim whitespace among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(trim.edit));
    assert.notStrictEqual(doc.getText(), before);
    assert.ok(doc.getText().includes('"Works well but the manual is confusing."'));
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), before, 'undo restores the file exactly');
  });

  test('typing re-checks the file: a new duplicate appears, its removal clears it', async () => {
    const { uri, doc, editor } = await open('reviews/test.jsonl');
    await diagnosticsWhen(uri, () => true);
    const line = doc.lineAt(0).text;
    await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount - 1, 0), line + '\n'));
    await diagnosticsWhen(uri, (d) => d.some((x) => codeOf(x) === 'exact-duplicate'));
    await vscode.commands.executeCommand('undo');
    await diagnosticsWhen(uri, (d) => !d.some((x) => codeOf(x) === 'exact-duplicate'));
  });

  test('Remove Exact Duplicates deletes every repeat in one edit; undo restores the file', async () => {
    const { uri, doc } = await open('alpaca.json');
    await diagnosticsWhen(uri, (d) => d.length > 0);
    const csv = await open('tickets.csv');
    await diagnosticsWhen(csv.uri, (d) => d.some((x) => codeOf(x) === 'exact-duplicate'));
    const before = csv.doc.getText();
    const removed = await vscode.commands.executeCommand('tuneset.removeDuplicates', csv.uri);
    assert.strictEqual(removed, 1);
    assert.strictEqual(csv.doc.lineCount, before.split('\n').length - 1);
    await diagnosticsWhen(csv.uri, (d) => !d.some((x) => codeOf(x) === 'exact-duplicate'));
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(csv.doc.getText(), before);
    assert.ok(doc);
  });

  test('fix all of a rule and source.fixAll.tuneset', async () => {
    const { uri, doc } = await open('reviews/train.jsonl');
    const diags = await diagnosticsWhen(uri, (d) => d.some((x) => codeOf(x) === 'label-variant'));
    const variant = diags.find((x) => codeOf(x) === 'label-variant');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, variant.range, vscode.CodeActionKind.QuickFix.value);
    assert.ok(actions.some((a) => /^Change label to "positive"$/.test(a.title)), actions.map((a) => a.title).join(' | '));
    assert.ok(actions.some((a) => a.title === 'Delete this row'));
    const before = doc.getText();
    const fixAll = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.tuneset');
    assert.strictEqual(fixAll.length, 1);
    await vscode.workspace.applyEdit(fixAll[0].edit);
    const after = doc.getText();
    assert.ok(!after.includes('"Positive"') && !after.includes('"postive"') && after.includes('café headphones'), 'labels normalised and mojibake repaired');
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), before);
  });

  test('an unknown chat role gets a quick fix to the role it stands for', async () => {
    const { uri, doc } = await open('support-chat.jsonl');
    const diags = await diagnosticsWhen(uri, (d) => d.some((x) => codeOf(x) === 'chat-unknown-role'));
    const unknown = diags.find((x) => codeOf(x) === 'chat-unknown-role');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, unknown.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Change the role to "assistant"');
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const before = doc.getText();
    await vscode.workspace.applyEdit(fix.edit);
    assert.ok(doc.getText().includes('{"role": "assistant", "content": "You\'re welcome."}'));
    await diagnosticsWhen(uri, (d) => !d.some((x) => codeOf(x) === 'chat-unknown-role'));
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), before);
  });

  test('CodeLens summarises the file and hover explains a row', async () => {
    const { uri } = await open('reviews/train.jsonl');
    await diagnosticsWhen(uri, (d) => d.length > 0);
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri);
    const titles = lenses.map((l) => l.command && l.command.title);
    assert.ok(titles.some((t) => /^Tuneset: classification · \d+ rows · 5 labels · \d+ findings · quality \d+\/100$/.test(t)), titles.join(' | '));
    assert.ok(titles.includes('Open report'));
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(3, 5));
    const text = hovers.map((h) => h.contents.map((c) => c.value ?? c).join('\n')).join('\n');
    assert.match(text, /label \*\*positive\*\*/);
    assert.match(text, /\d+ tokens \(o200k\)/);
    assert.match(text, /exact-duplicate/);
    assert.match(text, /same text as line 1/);
  });

  test('Check Workspace reads every dataset from disk, closed ones included', async () => {
    const result = await vscode.commands.executeCommand('tuneset.checkWorkspace');
    assert.ok(result.files >= 5, JSON.stringify(result));
    const chat = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'support-chat.jsonl');
    // The file may still be open from an earlier test: wait for both rules rather than the first publication.
    await diagnosticsWhen(chat, (d) => d.some((x) => codeOf(x) === 'chat-role-order') && d.some((x) => codeOf(x) === 'chat-unknown-role'));
    const test = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'reviews', 'test.jsonl');
    const leaks = await diagnosticsWhen(test, (d) => d.some((x) => codeOf(x) === 'cross-file-leak'));
    const leak = leaks.find((x) => codeOf(x) === 'cross-file-leak');
    assert.strictEqual(leak.severity, vscode.DiagnosticSeverity.Error);
    assert.match(leak.relatedInformation[0].location.uri.path, /reviews\/train\.jsonl$/);
  });

  test('settings: a rule turned off disappears, a bad value is reported, not a crash', async () => {
    const { uri } = await open('reviews/train.jsonl');
    await diagnosticsWhen(uri, (d) => d.some((x) => codeOf(x) === 'pii-email'));
    const config = vscode.workspace.getConfiguration('tuneset');
    await config.update('rules', { 'pii-email': 'off' }, vscode.ConfigurationTarget.Workspace);
    await diagnosticsWhen(uri, (d) => d.length > 0 && !d.some((x) => codeOf(x) === 'pii-email'));
    await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await diagnosticsWhen(uri, (d) => d.some((x) => codeOf(x) === 'pii-email'));
  });

  test('split parts are compared with each other, never with the file they came from: no cross-file-leak in Problems; a planted one shows', async function () {
    this.timeout(120000);
    const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
    const cli = path.join(vscode.extensions.getExtension('tuneset.tuneset').extensionPath, 'bin', 'tuneset.js');
    const leaks = () => vscode.languages.getDiagnostics().flatMap(([uri, ds]) => ds.filter((d) => d.source === 'tuneset' && codeOf(d) === 'cross-file-leak').map(() => vscode.workspace.asRelativePath(uri)));
    // Check Workspace reads every file from disk and answers once the leak check is published. The
    // samples hold one real leak (reviews/test.jsonl line 5 is in train.jsonl).
    await vscode.commands.executeCommand('tuneset.checkWorkspace');
    const before = leaks();
    assert.deepStrictEqual(before, ['reviews/test.jsonl']);
    const r = spawnSync(process.execPath, [cli, 'split', 'reviews/train.jsonl', '--stratify', '--allow-missing-labels'], { cwd: folder, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    await vscode.commands.executeCommand('tuneset.checkWorkspace');
    const after = leaks();
    assert.deepStrictEqual(after.filter((f) => f.startsWith('reviews/train/')), [], 'the parts of a split leak into nothing (duplicates were kept together), and its source is no training file of them');
    assert.ok(after.length <= before.length, `leaks after the split: ${after.join(', ')}`);
    // A real leak: a row of the train part copied into the test part is one cross-file-leak, on the test part.
    const parts = path.join(folder, 'reviews', 'train');
    const trainRow = fs.readFileSync(path.join(parts, 'train.jsonl'), 'utf8').split('\n').find((l) => l.includes('"text"'));
    fs.appendFileSync(path.join(parts, 'test.jsonl'), `${trainRow}\n`);
    await vscode.commands.executeCommand('tuneset.checkWorkspace');
    assert.deepStrictEqual(leaks().filter((f) => f.startsWith('reviews/train/')), ['reviews/train/test.jsonl']);
  });
});
