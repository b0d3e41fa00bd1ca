import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CodeActionKind, CodeActionTriggerKind, CodeLensRefreshRequest, DidChangeConfigurationNotification, TextDocumentSyncKind, type Connection, type InitializeParams } from 'vscode-languageserver';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { codeActions, duplicateDeletions, FIX_ALL_KIND } from './lsp/codeActions';
import { codeLenses } from './lsp/codeLens';
import { DatasetViews } from './lsp/datasetView';
import { toSummary } from './lsp/convert';
import { hover } from './lsp/hover';
import { registerReportRequests } from './lsp/panels/export';
import { PanelWorkers } from './lsp/panels/panelWorkers';
import { registerSuggestRequests } from './lsp/panels/suggest';
import { Scheduler } from './lsp/scheduler';
import { profileServerIfAsked } from './host/cpuProfile';
import { localizeReport, reportPageLanguage } from './host/l10n';
import { CancelChecksRequest, CheckWorkspaceRequest, DatasetEditRequest, DatasetRowsRequest, FileSummaryRequest, RemoveDuplicatesRequest, ReportRequest, WillOpenNotification } from './protocol';

/**
 * The language server: documents and files in, engine analyses, LSP features out. This file only
 * registers handlers: when what is checked is the Scheduler's (lsp/scheduler.ts), every decision
 * about data the engine's, and each handler looks up an analysis and converts it.
 */
export function startServer(connection: Connection, options: { workerDir?: string } = {}): Scheduler {
  const server = new Scheduler(connection, { workerDir: options.workerDir ?? __dirname });
  const { documents } = server;
  const views = new DatasetViews({
    analyzed: (uri) => server.analyzedOrChecked(uri),
    document: (uri) => {
      const doc = documents.get(uri);
      return doc && { text: doc.getText(), version: doc.version };
    },
    configOf: (file) => server.configOf(file),
    translate: (message) => server.tr.message(message),
  });

  connection.onInitialize((params: InitializeParams) => {
    codeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    server.initialize((params.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri)), !!params.capabilities.workspace?.configuration, params.locale);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
      },
    };
  });
  connection.onInitialized(async () => {
    if (server.asksSettings) connection.client.register(DidChangeConfigurationNotification.type, undefined);
    await server.initialized();
  });
  connection.onDidChangeConfiguration(() => server.settingsChanged());
  connection.onNotification(WillOpenNotification.method, ({ uri }: WillOpenNotification.Params) => server.willOpen(uri));
  connection.onDidChangeWatchedFiles(({ changes }) => server.filesChanged(changes));

  documents.onDidOpen(({ document }) => server.opened(document));
  documents.onDidChangeContent(({ document }) => server.changed(document));
  documents.onDidClose(({ document }) => {
    views.forget(document.uri);
    server.closed(document);
  });

  // While a person types, VS Code asks for code actions at the cursor (the light bulb) and for the
  // CodeLens after every keystroke. Answering each from a fresh check would check the file (and send
  // its diagnostics) on every key instead of once typing pauses; so these wait for a check only when
  // the answer needs one. The light bulb asks again when the diagnostics change, and the CodeLens is
  // refreshed after each check that changes it.
  connection.onCodeAction(async (params) => {
    const uri = params.textDocument.uri;
    const fixAll = params.context.only?.some((k) => k.startsWith(CodeActionKind.SourceFixAll));
    if (!fixAll && !params.context.diagnostics.some((d) => d.source === 'tuneset')) return [];
    if (!fixAll && params.context.triggerKind === CodeActionTriggerKind.Automatic && server.behind(uri)) return [];
    const doc = await server.current(uri);
    return doc ? codeActions(doc, params) : [];
  });
  let codeLensRefresh = false;
  const lensShown = new Map<string, string>();
  connection.onCodeLens(async ({ textDocument }) => {
    const doc = server.latest(textDocument.uri) ?? (await server.current(textDocument.uri));
    if (!doc) return [];
    const lenses = codeLenses(doc, server.tr);
    lensShown.set(textDocument.uri, JSON.stringify(lenses));
    return lenses;
  });
  server.onChecked = (result) => {
    const shown = lensShown.get(result.uri);
    if (codeLensRefresh && shown !== undefined && shown !== JSON.stringify(codeLenses(result, server.tr))) {
      lensShown.delete(result.uri);
      void connection.sendRequest(CodeLensRefreshRequest.type);
    }
  };
  connection.onHover(async (params) => {
    const doc = await server.current(params.textDocument.uri);
    const text = documents.get(params.textDocument.uri);
    if (!doc || !text) return null;
    const line = text.getText({ start: { line: params.position.line, character: 0 }, end: { line: params.position.line + 1, character: 0 } });
    return hover(doc, params, line.replace(/\n$/, ''), server.tr);
  });

  connection.onRequest(FileSummaryRequest.method, async ({ uri }: FileSummaryRequest.Params): Promise<FileSummaryRequest.Result> => {
    const doc = await server.analyzed(uri);
    return doc ? toSummary(uri, doc.analysis, server.tr) : null;
  });
  connection.onRequest(CheckWorkspaceRequest.method, () => server.checkWorkspace());
  connection.onRequest(CancelChecksRequest.method, (): CancelChecksRequest.Result => ({ cancelled: server.runningChecks.cancelAll() }));
  connection.onRequest(ReportRequest.type, ({ uri }) => report(uri));
  connection.onRequest(DatasetRowsRequest.type, (params) => views.rows(params));
  connection.onRequest(DatasetEditRequest.type, (params) => views.edit(params));
  connection.onRequest(RemoveDuplicatesRequest.method, async ({ uri }: RemoveDuplicatesRequest.Params): Promise<RemoveDuplicatesRequest.Result> => {
    const doc = await server.current(uri);
    const edits = doc ? duplicateDeletions(doc) : [];
    return { edits, rows: edits.length };
  });

  /** The quality report of a dataset the server holds, or null; made in the panel worker. */
  async function report(uri: string): Promise<ReportRequest.Result> {
    const doc = await server.analyzed(uri);
    if (!doc) return null;
    const file = fileURLToPath(uri);
    return localizeReport(await panels.report(file, doc.analysis, documents.get(uri)?.getText(), server.configOf(file)), server.tr);
  }

  // The panels' work (client/src/panels are views): split and augment in the panel worker (the server
  // answers meanwhile), the report page and its export from the analysis the server holds.
  const workerDir = options.workerDir ?? __dirname;
  const panels = new PanelWorkers(connection, {
    workerFile: path.join(workerDir, 'panelWorker.js'),
    nearDuplicateWorker: path.join(workerDir, 'nearDuplicateWorker.js'),
    config: (file) => server.configOf(file),
    heldAnalyses: (uri) => server.heldAnalyses(uri),
    analysis: async (file) => (await server.analyzed(pathToFileURL(file).href))?.analysis,
    locale: () => server.tr.locale,
    log: (message) => connection.console.log(message),
  });
  panels.register();
  registerReportRequests(connection, { report, translate: (message, ...args) => server.tr.t(message, ...args), pageLanguage: () => reportPageLanguage(server.tr.locale) });
  // Rows to label next: the model in slices on this thread (the document's text is here).
  registerSuggestRequests(connection, {
    document: (uri) => {
      const doc = documents.get(uri);
      return doc && { text: doc.getText(), version: doc.version };
    },
    configOf: (file) => server.configOf(file),
    tr: { t: (message, ...args) => server.tr.t(message, ...args), message: (message) => server.tr.message(message) },
  });

  connection.onShutdown(() => {
    panels.dispose();
    server.dispose();
  });

  documents.listen(connection);
  connection.listen();
  return server;
}

// The bundle (dist/server.js) run by the extension: a connection over the transport its command line names.
if (require.main === module) {
  profileServerIfAsked();
  startServer(createConnection(ProposedFeatures.all));
}
