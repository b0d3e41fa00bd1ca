import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SummaryChangedNotification, type FileSummary } from '../../server/src/protocol';

/**
 * The server's summary notifications, for every part of the client that wants them. vscode-jsonrpc
 * keeps one handler per notification: a second `onNotification` replaced the status bar's, and
 * disposing it (the report panel closing) left none, so the status bar went stale for good once a
 * report had been opened. The client registers the one handler here; the rest subscribe to the event.
 */
export class SummaryEvents implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<FileSummary>();
  private readonly handler: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor(client: LanguageClient) {
    this.handler = client.onNotification(SummaryChangedNotification.type, (s) => this.emitter.fire(s));
  }

  dispose(): void {
    this.handler.dispose();
    this.emitter.dispose();
  }
}
