import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SettingsProblemsNotification, WillOpenNotification } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { RunningChecksItem } from './runningChecks';
import { DatasetStatusBar } from './statusBar';
import { SummaryEvents } from './summaries';

let client: LanguageClient | undefined;

/** Starts the language server and wires the palette commands, the status bar and messages. */
export async function activate(context: vscode.ExtensionContext): Promise<TunesetApi> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const output = vscode.window.createOutputChannel('Tuneset');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'jsonl' },
      { scheme: 'file', pattern: '**/*.{jsonl,ndjson,csv,tsv,json}' },
      { scheme: 'untitled', language: 'jsonl' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{jsonl,ndjson,csv,tsv,json}') },
    outputChannel: output,
    middleware: {
      // The server starts on a file as it is on disk while the didOpen's text (big for big datasets) crosses.
      didOpen: (document, next) => {
        if (document.uri.scheme === 'file') void client?.sendNotification(WillOpenNotification.type, { uri: document.uri.toString() });
        return next(document);
      },
    },
  };
  client = new LanguageClient('tuneset', 'Tuneset', serverOptions, clientOptions);
  const summaries = new SummaryEvents(client);
  const statusBar = new DatasetStatusBar(client);
  context.subscriptions.push(output, summaries, statusBar, summaries.onDidChange((s) => statusBar.update(s)), new RunningChecksItem(client));
  client.onNotification(SettingsProblemsNotification.type, ({ problems }) => {
    void vscode.window.showWarningMessage(vscode.l10n.t('Tuneset settings: {0}', problems.join('; ')), vscode.l10n.t('Open Settings')).then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'tuneset');
    });
  });
  // The commands are there from the start: one invoked while the server starts waits for it.
  const started = client.start();
  registerCommands(context, client, summaries, started);
  await started;
  return { client };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

/** What the extension exports, for its own end-to-end tests. */
export interface TunesetApi {
  client: LanguageClient;
}
