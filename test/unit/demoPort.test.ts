import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The demo's server start (test/e2e/harness/codeServer.js) with a stand-in for code-server, so that
 * it runs without the 300 MB install: the stand-in listens where --bind-addr says, answers /healthz
 * and logs its "HTTP server listening on …" line as code-server does. The harness takes its entry
 * and setup check from common.js when it is loaded, so they are replaced before that.
 */

const dir = mkdtempSync(join(tmpdir(), 'tuneset-demo-port-'));
const entry = join(dir, 'entry.js');
writeFileSync(entry, `
const http = require('http');
const [host, port] = process.argv[process.argv.indexOf('--bind-addr') + 1].split(/:(?=\\d+$)/);
const log = (s) => console.log('[' + new Date().toISOString() + '] ' + s);
if (process.env.FAKE_CS === 'lose-port') {
  // Another program took the port between the harness's check and our start.
  setTimeout(() => { log('error listen EADDRINUSE: address already in use ' + host + ':' + port); process.exit(1); }, 1000);
} else {
  const srv = http.createServer((req, res) => { res.writeHead(200); res.end('{"status":"alive"}'); });
  srv.on('error', (e) => { log('error ' + e.message); process.exit(1); });
  srv.listen(Number(port), host, () => log('info  HTTP server listening on http://' + host + ':' + srv.address().port + '/'));
}
`);
const common = require('../e2e/harness/common') as { ensureSetup: () => void; CODE_SERVER_ENTRY: string };
common.ensureSetup = () => {};
common.CODE_SERVER_ENTRY = entry;
type Started = { url: string; port: number; stop(): Promise<void> };
const { startCodeServer } = require('../e2e/harness/codeServer') as {
  startCodeServer(o: { port?: number; nextFreePort?: boolean; dir: string; env?: Record<string, string>; startTimeoutMs?: number }): Promise<Started>;
};

/** Another program on a port, answering every request with 200 (as another code-server's /healthz would). */
async function otherProgram(port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.end('someone else'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return { port: (server.address() as AddressInfo).port, close };
}

/** Whether the server on a URL is the stand-in (its body), not the other program. */
async function answer(url: string): Promise<string> {
  return (await fetch(`${url}/healthz`)).text();
}

let run = 0;
const serverDir = () => join(dir, `server-${++run}`);

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a free port: the server started is ours, on that port', async () => {
  const cs = await startCodeServer({ dir: serverDir() });
  try {
    assert.equal(await answer(cs.url), '{"status":"alive"}');
  } finally {
    await cs.stop();
  }
});

test('a port another program holds is refused with a clear message, never announced as up', async () => {
  const other = await otherProgram();
  try {
    await assert.rejects(startCodeServer({ port: other.port, dir: serverDir() }), new RegExp(`port ${other.port} on 127\\.0\\.0\\.1 is in use by another program`));
  } finally {
    await other.close();
  }
});

test('the demo\'s default port gives way to the next free one, and the URL is our server\'s', async () => {
  const other = await otherProgram();
  try {
    const cs = await startCodeServer({ port: other.port, nextFreePort: true, dir: serverDir() });
    try {
      assert.notEqual(cs.port, other.port);
      assert.equal(await answer(cs.url), '{"status":"alive"}');
    } finally {
      await cs.stop();
    }
  } finally {
    await other.close();
  }
});

test('a port lost after the check: another program\'s 200 does not make our failed server look up', async () => {
  const port = (await otherProgram().then(async (o) => (await o.close(), o))).port;
  const where = serverDir();
  const starting = startCodeServer({ port, dir: where, env: { FAKE_CS: 'lose-port' } });
  // The other program takes the port once the harness checked it and started our server (its log
  // is opened just before), while our server fails.
  while (!existsSync(join(where, 'code-server.log'))) await new Promise((resolve) => setTimeout(resolve, 10));
  const other = await otherProgram(port);
  try {
    await assert.rejects(starting, /is in use by another program/);
  } finally {
    await other.close();
  }
});
