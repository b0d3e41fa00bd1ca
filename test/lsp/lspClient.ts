import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { WillOpenNotification } from '../../server/src/protocol';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type CancellationToken, type MessageConnection, type RequestType } from 'vscode-jsonrpc/node';

/**
 * A minimal LSP client for tests and the latency benchmark: it starts the bundled language server
 * (dist/server.js) over stdio, answers its configuration requests, and exposes what a test needs.
 * No VS Code involved: this is the server's own protocol surface.
 */
export interface PublishedDiagnostics {
  uri: string;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; code?: string; message: string; severity?: number; data?: unknown }[];
}

/** A $/progress notification: the server's work-done progress (the workspace check, a long check of a document). */
export interface ProgressNotice {
  token: string | number;
  value: { kind: 'begin' | 'report' | 'end'; title?: string; percentage?: number; cancellable?: boolean; message?: string };
}

/** A language server started in this process (LspClient.inProcess): its streams and how to stop it. */
interface InProcessServer {
  toServer: PassThrough;
  fromServer: PassThrough;
  stop(): void;
}

export class LspClient {
  readonly connection: MessageConnection;
  private readonly child: ChildProcess | undefined;
  private readonly waiters: { uri: string; predicate: (d: PublishedDiagnostics) => boolean; resolve: (d: PublishedDiagnostics) => void }[] = [];
  readonly latest = new Map<string, PublishedDiagnostics>();
  /** Every publication so far, in order. */
  readonly published: PublishedDiagnostics[] = [];
  private versions = new Map<string, number>();
  private readonly notificationWaiters: { method: string; predicate: (params: unknown) => boolean; resolve: (params: unknown) => void }[] = [];
  /** Every $/progress notification so far, in order. */
  readonly progressNotices: ProgressNotice[] = [];

  /** Resolves once the server has read its settings (as a server started with the editor has long done when a file opens). */
  readonly ready: Promise<void>;
  private resolveReady: () => void = () => {};

  /**
   * The language server started in this process from its source (server/src/server.ts), over in-memory
   * streams, as yaml-language-server's tests do: no build, no process, breakpoints work. Worker threads
   * (big documents) still come from dist/.
   */
  static async inProcess(settings: Record<string, unknown> = {}): Promise<LspClient> {
    const { startServer } = await import('../../server/src/server');
    const { createConnection } = await import('vscode-languageserver/node');
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(fromServer));
    startServer(connection, { workerDir: join(__dirname, '..', '..', 'dist') });
    return new LspClient(settings, { toServer, fromServer, stop: () => connection.dispose() });
  }

  constructor(private readonly settings: Record<string, unknown> = {}, private readonly inProcess?: InProcessServer) {
    if (inProcess) {
      this.connection = createMessageConnection(new StreamMessageReader(inProcess.fromServer), new StreamMessageWriter(inProcess.toServer));
    } else {
      // TUNESET_SERVER: another build of the server to run (the bench compares a build before a change with this one).
      const server = process.env.TUNESET_SERVER ?? join(__dirname, '..', '..', 'dist', 'server.js');
      // TUNESET_SERVER_NODE_ARGS: extra Node options for the server process (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof when profiling; not --trace-gc, which writes to stdout, the protocol's channel).
      const nodeArgs = process.env.TUNESET_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
      this.child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
      this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    }
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      for (const l of this.listeners) if (l.method === 'textDocument/publishDiagnostics') l.fn(p);
      this.latest.set(p.uri, p);
      this.published.push(p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.predicate(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'tuneset' ? this.settings : i.section === 'files.exclude' ? {} : null)),
    );
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    // The library hands $/progress to the handler of its token; tokens the client did not make come here.
    this.connection.onUnhandledProgress((p) => {
      const notice = p as ProgressNotice;
      this.progressNotices.push(notice);
      this.notify('$/progress', notice);
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    this.connection.onNotification((method: string, params: unknown) => {
      // The server logs its first workspace check once its settings are read: from then on it checks documents.
      if (method === 'window/logMessage' && /workspace check/.test((params as { message: string }).message)) this.resolveReady();
      this.notify(method, params);
    });
    this.connection.listen();
  }

  private readonly listeners: { method: string; fn: (params: unknown) => void }[] = [];

  /** Calls `fn` with every notification of `method` from now until disposed (publishDiagnostics included). */
  onMessage(method: string, fn: (params: unknown) => void): { dispose(): void } {
    const listener = { method, fn };
    this.listeners.push(listener);
    return { dispose: () => void this.listeners.splice(this.listeners.indexOf(listener), 1) };
  }

  private notify(method: string, params: unknown): void {
    for (const l of this.listeners) if (l.method === method) l.fn(params);
    for (const w of [...this.notificationWaiters]) {
      if (w.method === method && w.predicate(params)) {
        this.notificationWaiters.splice(this.notificationWaiters.indexOf(w), 1);
        w.resolve(params);
      }
    }
  }

  async initialize(workspaceFolder?: string): Promise<void> {
    await this.connection.sendRequest('initialize', {
      // A server in this process must not watch for its client's process to end (its timer would keep the test running).
      processId: this.inProcess ? null : process.pid,
      rootUri: workspaceFolder ? pathToFileURL(workspaceFolder).href : null,
      workspaceFolders: workspaceFolder ? [{ uri: pathToFileURL(workspaceFolder).href, name: 'ws' }] : null,
      capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves with the next diagnostics for `uri` that satisfy the predicate (or the current ones, if they do). */
  diagnostics(uri: string, predicate: (d: PublishedDiagnostics) => boolean = () => true, timeoutMs = 60000): Promise<PublishedDiagnostics> {
    const now = this.latest.get(uri);
    if (now && predicate(now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, predicate, resolve: (d) => (clearTimeout(timer), resolve(d)) });
    });
  }

  /** Resolves with the next notification of `method` whose params satisfy the predicate. */
  notification<T>(method: string, predicate: (params: T) => boolean = () => true, timeoutMs = 60000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
      this.notificationWaiters.push({ method, predicate: (p) => predicate(p as T), resolve: (p) => (clearTimeout(timer), resolve(p as T)) });
    });
  }

  /** Resolves with the token of the next progress to begin whose title contains `title` (or of one that has begun already). */
  async progressBegun(title: string, timeoutMs = 60000): Promise<string | number> {
    const begun = (p: ProgressNotice) => p.value.kind === 'begin' && !!p.value.title?.includes(title);
    const seen = this.progressNotices.find(begun);
    return (seen ?? (await this.notification<ProgressNotice>('$/progress', begun, timeoutMs))).token;
  }

  /** Resolves once the progress of this token has ended. */
  async progressEnded(token: string | number, timeoutMs = 60000): Promise<void> {
    const ended = (p: ProgressNotice) => p.token === token && p.value.kind === 'end';
    if (!this.progressNotices.some(ended)) await this.notification<ProgressNotice>('$/progress', ended, timeoutMs);
  }

  /** The user pressing Cancel on a progress notification. */
  cancelProgress(token: string | number): void {
    void this.connection.sendNotification('window/workDoneProgress/cancel', { token });
  }

  /** Like diagnostics(), but only for a publication that has not arrived yet. */
  nextDiagnostics(uri: string, timeoutMs = 60000): Promise<PublishedDiagnostics> {
    this.latest.delete(uri);
    return this.diagnostics(uri, () => true, timeoutMs);
  }

  /** A didOpen, preceded (as the extension's client does for files) by tuneset/willOpen. */
  open(uri: string, text: string, languageId = 'jsonl'): void {
    if (uri.startsWith('file:')) void this.connection.sendNotification(WillOpenNotification.type, { uri });
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** An incremental change: replace [start, end) with text. */
  change(uri: string, start: { line: number; character: number }, end: { line: number; character: number }, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start, end }, text }] });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  /** A request of the protocol (server/src/protocol.ts), type-checked. */
  send<P, R>(type: RequestType<P, R, void>, params: P, token?: CancellationToken): Promise<R> {
    return this.connection.sendRequest(type, params, token);
  }

  async stop(): Promise<void> {
    if (this.inProcess) {
      // No exit notification: the server would end this process.
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000).unref())]);
      this.connection.dispose();
      this.inProcess.stop();
      this.inProcess.toServer.end();
      this.inProcess.fromServer.end();
      return;
    }
    const child = this.child!;
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      // The server exits on its own (and so writes a --cpu-prof profile); killed only if it has not within 2 s.
      const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
      void this.connection.sendNotification('exit');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
    } catch {
      /* the server may be gone already */
    }
    this.connection.dispose();
    child.kill();
  }
}
