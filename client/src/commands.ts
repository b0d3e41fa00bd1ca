import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { datasetUri } from './panels/datasetPanel';
import { DatasetViewPanel, registerDatasetEditor } from './panels/datasetViewPanel';
import { SplitPanel } from './panels/splitPanel';
import { AUGMENT_API_KEY_SECRET, AugmentPanel } from './panels/augmentPanel';
import { exportReport, ReportPanel } from './panels/reportPanel';
import { SuggestPanel } from './panels/suggestPanel';
import { cancelChecks } from './runningChecks';
import type { SummaryEvents } from './summaries';
import { toastFindings } from './toasts';
import { CheckWorkspaceRequest, COMMANDS, FileSummaryRequest, RemoveDuplicatesRequest, type EditDto, type FileSummary } from '../../server/src/protocol';

/**
 * The palette commands, one registry: id → handler. They are registered before the client has
 * started (a command invoked meanwhile would otherwise be "not found"), and each waits for `ready`
 * (the client's start) before it runs.
 */
export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient, summaries: SummaryEvents, ready: Promise<void>): void {
  const handlers: Record<string, (...args: unknown[]) => unknown> = {
    [COMMANDS.checkWorkspace]: () => checkWorkspace(client),
    [COMMANDS.cancelChecks]: () => cancelChecks(client),
    [COMMANDS.removeDuplicates]: (uri?: unknown) => removeDuplicates(client, targetUri(uri)),
    [COMMANDS.showFileSummary]: (uri?: unknown) => showFileSummary(client, targetUri(uri), (target, rule) => DatasetViewPanel.show(context.extensionUri, client, summaries, target, { rule })),
    [COMMANDS.openDatasetView]: onDataset((target) => DatasetViewPanel.show(context.extensionUri, client, summaries, target)),
    [COMMANDS.augmentDataset]: onDataset((target) => AugmentPanel.show(context.extensionUri, client, target)),
    [COMMANDS.showReport]: onDataset((target) => ReportPanel.show(context.extensionUri, client, summaries, target)),
    [COMMANDS.exportReport]: onDataset((target) => exportReport(client, target)),
    [COMMANDS.splitDataset]: onDataset((target) => SplitPanel.show(context.extensionUri, client, target)),
    [COMMANDS.suggestRows]: onDataset((target) => SuggestPanel.show(context.extensionUri, client, target)),
    [COMMANDS.storeAugmentApiKey]: () => storeAugmentApiKey(context.secrets),
  };
  AugmentPanel.secrets = context.secrets;
  for (const [id, run] of Object.entries(handlers)) handlers[id] = afterStart(ready, run);
  for (const [id, handler] of Object.entries(handlers)) context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  context.subscriptions.push(registerDatasetEditor(context.extensionUri, client, summaries, ready));
}

/** A command that runs once the client has started (at once when it has); a failed start is the command's error. */
function afterStart(ready: Promise<void>, run: (...args: unknown[]) => unknown): (...args: unknown[]) => Promise<unknown> {
  return async (...args: unknown[]) => {
    await ready;
    return run(...args);
  };
}

/** Asks for the augmentation endpoint's API key and keeps it in VS Code's secret storage (never in a settings file); empty removes it. */
async function storeAugmentApiKey(secrets: vscode.SecretStorage): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Tuneset: augmentation API key'),
    prompt: vscode.l10n.t('The key of the endpoint in tuneset.augment.endpoint, kept in VS Code\'s secret storage (leave empty to remove it)'),
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim()) {
    await secrets.store(AUGMENT_API_KEY_SECRET, key.trim());
    void vscode.window.showInformationMessage(vscode.l10n.t('Tuneset: the augmentation API key is stored in VS Code\'s secret storage.'));
  } else {
    await secrets.delete(AUGMENT_API_KEY_SECRET);
    void vscode.window.showInformationMessage(vscode.l10n.t('Tuneset: the augmentation API key is removed.'));
  }
}

/**
 * A command on one dataset: its argument, the active editor's file or one the user picks; a file that
 * cannot be read as a dataset gets a message naming it and the problem instead of a failed command.
 */
function onDataset<T>(run: (uri: vscode.Uri) => T | Promise<T>): (arg?: unknown) => Promise<T | undefined> {
  return async (arg?: unknown) => {
    const target = await datasetUri(targetUri(arg));
    if (!target) return undefined;
    try {
      return await run(target);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Tuneset: {0}: {1}', vscode.workspace.asRelativePath(target), (e as Error).message));
      return undefined;
    }
  };
}

/** The URI a command acts on: its argument (CodeLens, explorer) or the active editor's document. */
function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  return vscode.window.activeTextEditor?.document.uri;
}

async function checkWorkspace(client: LanguageClient): Promise<CheckWorkspaceRequest.Result> {
  const result = await client.sendRequest(CheckWorkspaceRequest.type, {});
  const findings = result.findings.toLocaleString('en-US');
  const message = result.files === 1
    ? (result.cancelled ? vscode.l10n.t('Tuneset checked {0} dataset file: {1} findings (cancelled).', result.files, findings) : vscode.l10n.t('Tuneset checked {0} dataset file: {1} findings.', result.files, findings))
    : (result.cancelled ? vscode.l10n.t('Tuneset checked {0} dataset files: {1} findings (cancelled).', result.files, findings) : vscode.l10n.t('Tuneset checked {0} dataset files: {1} findings.', result.files, findings));
  void toastFindings(message);
  return result;
}

function toRange(r: EditDto['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Deletes every exact duplicate of the file through one WorkspaceEdit, so a single undo restores it. */
async function removeDuplicates(client: LanguageClient, uri: vscode.Uri | undefined): Promise<number> {
  if (!uri) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Tuneset: open a dataset file first.'));
    return 0;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const { edits, rows } = await client.sendRequest(RemoveDuplicatesRequest.type, { uri: uri.toString() });
  if (!rows) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tuneset: no exact duplicates in {0}.', vscode.workspace.asRelativePath(uri)));
    return 0;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(uri, toRange(e.range), e.newText);
  await vscode.workspace.applyEdit(edit);
  void vscode.window.showInformationMessage(vscode.l10n.t(rows === 1 ? 'Tuneset removed {0} exact duplicate row from {1} (Undo restores them).' : 'Tuneset removed {0} exact duplicate rows from {1} (Undo restores them).', rows, vscode.workspace.asRelativePath(uri)));
  return rows;
}

/** The file's summary as a quick pick: each rule line opens the dataset view on that rule's rows. */
async function showFileSummary(client: LanguageClient, uri: vscode.Uri | undefined, showRule: (uri: vscode.Uri, rule: string) => unknown): Promise<FileSummary | null> {
  if (!uri) return null;
  const s = await client.sendRequest(FileSummaryRequest.type, { uri: uri.toString() });
  if (!s) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tuneset: {0} is not a dataset Tuneset has checked.', vscode.workspace.asRelativePath(uri)));
    return null;
  }
  const fmt = (n: number) => n.toLocaleString('en-US');
  const st = s.stats;
  const items: (vscode.QuickPickItem & { rule?: string })[] = [
    { label: `$(beaker) ${vscode.l10n.t('Quality {0}/100', st.quality.score)}`, detail: st.quality.penalties.map((p) => `${p.cause} −${p.points}`).join(' · ') || vscode.l10n.t('nothing lowers it') },
    { label: `$(file) ${s.format} (${s.container}) · ${vscode.l10n.t('{0} rows', fmt(s.rows))}`, detail: Object.entries(s.fields).map(([k, v]) => (k === v ? k : `${k} = ${v}`)).join(', ') },
    ...(s.readAs ?? []).map((note) => ({ label: `$(info) ${vscode.l10n.t('Read as')}`, detail: note })),
    ...(s.labelQuality ? [{ label: `$(tag) ${vscode.l10n.t('Label quality')}`, detail: s.labelQuality }] : []),
  ];
  if (st.labels.length) {
    items.push({
      label: `$(tag) ${vscode.l10n.t('{0} labels · balance index {1}', st.labels.length, st.balanceIndex.toFixed(2))}`,
      detail: st.labels.slice(0, 12).map((l) => `${l.name} ${fmt(l.count)} (${(l.share * 100).toFixed(1)}%)`).join(' · '),
    });
  }
  // Until the server has loaded the tokenizer (just after a file's first check) the estimate is 4 bytes a token.
  const tokens = st.tokens.sampledTexts > 0
    ? vscode.l10n.t('tokens (est.): median {0} · p95 {1} · max {2}', st.tokens.median, st.tokens.p95, st.tokens.max)
    : vscode.l10n.t('tokens (rough est., tokenizer loading): median {0} · p95 {1} · max {2}', st.tokens.median, st.tokens.p95, st.tokens.max);
  items.push({ label: `$(symbol-ruler) ${tokens}` });
  items.push({ label: vscode.l10n.t('Findings'), kind: vscode.QuickPickItemKind.Separator });
  for (const [rule, n] of Object.entries(st.findingsByRule).sort((a, b) => b[1] - a[1])) items.push({ label: `${rule}: ${fmt(n)}`, rule });
  const pick = await vscode.window.showQuickPick(items, { title: `Tuneset: ${vscode.workspace.asRelativePath(uri)}`, placeHolder: vscode.l10n.t('Pick a rule to see its problems') });
  if (pick?.rule) await showRule(uri, pick.rule);
  return s;
}
