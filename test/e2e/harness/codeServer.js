'use strict';
// Starts VS Code 1.100.3 (code-server 4.100.3, installed by scripts/vscode/setup.sh) on loopback.
//
//   const { startCodeServer, installVsix } = require('./codeServer');
//   const cs = await startCodeServer({ settings: { 'editor.fontSize': 14 }, vsix: 'x.vsix' });
//   cs.url                       // http://127.0.0.1:PORT
//   cs.workbenchUrl('/abs/folder')
//   await cs.stop();
//
// CLI (used by scripts/vscode/demo.sh):
//   node test/e2e/harness/codeServer.js [--dir D] [--port N [--next-free-port]] [--host H] [--vsix F]... \
//        [--settings file.json] [--folder F]       # runs until Ctrl+C
//
// Why the flags/env: code-server is a full VS Code server, but it must not touch ~ (XDG_* and
// HOME-ish state are redirected), must not restore the last run's editors (fresh --user-data-dir
// unless a persistent `dir` is asked for), and must not try the marketplace/update hosts (the
// `ENOTFOUND open-vsx.org` line in its log is expected and harmless).
const fs = require('fs');
const net = require('net');
const http = require('http');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { CODE_SERVER_ENTRY, ensureSetup, scratchDir, parseArgs, verbose } = require('./common');

const DEFAULT_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  // These pop toasts at random moments, which would confuse notificationText() in UI tests.
  'git.openRepositoryInParentFolders': 'never',
  'git.autoRepositoryDetection': false,
  'chat.commandCenter.enabled': false,
};

const live = new Set(); // running servers, killed if this process dies

/** Kills a detached child's whole process group (server + extension host + language servers). */
function killGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

// A Ctrl+C would otherwise orphan the servers: they run in their own process group (so stop()
// can reliably kill the extension host and language servers too) and so do not get the
// terminal's SIGINT. We clean up and then let the signal do whatever it would have done.
let signalsHooked = false;
function hookSignals() {
  if (signalsHooked) return;
  signalsHooked = true;
  process.on('exit', () => { for (const s of live) killGroup(s.pid, 'SIGKILL'); });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const onSig = () => {
      // SIGTERM the whole group (server, extension host, language servers) now: other handlers
      // (Playwright installs one) may exit without 'exit' firing for us, or not exit at all.
      for (const s of live) killGroup(s.pid, 'SIGTERM');
      // If nobody else handles this signal, restore the default behaviour (terminate by it).
      if (process.listenerCount(sig) === 1) { process.removeListener(sig, onSig); process.kill(process.pid, sig); }
    };
    process.on(sig, onSig);
  }
}

function freePort(host) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

/** Whether nothing listens on host:port yet (we bind it for a moment, as code-server will). */
function portFree(host, port) {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * The port to start on when one is asked for: that one if it is free. If another program holds it
 * (another demo, a dev server), code-server would fail with EADDRINUSE while the other program's
 * answers made it look up; so a taken port is refused with a clear message, or, with `nextFree`
 * (the demo's default port), the next free one of the following 20 is used and named.
 */
async function portToUse(host, port, nextFree) {
  const last = nextFree ? port + 20 : port;
  for (let p = port; p <= last; p++) {
    if (!(await portFree(host, p))) continue;
    if (p !== port) console.error(`[code-server] port ${port} on ${host} is in use by another program; using ${p}`);
    return p;
  }
  throw new Error(nextFree
    ? `ports ${port}-${last} on ${host} are all in use by other programs; choose another port (PORT=...)`
    : `port ${port} on ${host} is in use by another program: stop it, or choose another port (e.g. PORT=${port + 1})`);
}

/** What code-server logged since `from` (a byte offset; a persistent dir's log keeps every run), without colours. */
function logSince(logFile, from) {
  let fd;
  try {
    fd = fs.openSync(logFile, 'r');
    const buf = Buffer.alloc(Math.max(0, fs.fstatSync(fd).size - from));
    fs.readSync(fd, buf, 0, buf.length, from);
    return buf.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '');
  } catch { return ''; } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Whether code-server says it listens on this port ("HTTP server listening on http://127.0.0.1:8080/",
 * logged once its routes are in place). A 200 from /healthz alone could come from another program on
 * the port; this line can only come from our own server.
 */
function listensOn(log, port) {
  return new RegExp(`HTTP server listening on https?://\\S+:${port}/`).test(log);
}

function httpOk(url) {
  return new Promise(resolve => {
    const req = http.get(url, res => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => { req.destroy(); resolve(false); });
  });
}

/**
 * The environment code-server and everything it spawns (extension host, language servers) get.
 * VSCODE_* vars are dropped: inside a VS Code terminal VSCODE_IPC_HOOK_CLI would make the
 * code-server CLI hand `--install-extension` to the *outer* editor instead of doing it.
 */
function childEnv(dir, extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VSCODE_|ELECTRON_RUN_AS_NODE$|CODE_SERVER_|PASSWORD$|HASHED_PASSWORD$)/.test(k)) continue;
    env[k] = v;
  }
  // No marketplace: it is unreachable here anyway, and with the default (open-vsx.org) every
  // window logs a getaddrinfo ENOTFOUND error. '{}' = no gallery configured. Set
  // EXTENSIONS_GALLERY yourself to override.
  if (!('EXTENSIONS_GALLERY' in process.env)) env.EXTENSIONS_GALLERY = '{}';
  Object.assign(env, {
    XDG_CONFIG_HOME: path.join(dir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(dir, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(dir, 'xdg', 'cache'),
  });
  // VS Code puts its IPC sockets in TMPDIR. Keep them in our scratch dir, but only while the
  // path stays well under the 108-byte unix-socket limit ("vscode-ipc-<uuid>.sock" is 52).
  const tmp = path.join(dir, 'tmp');
  if (tmp.length <= 50) { fs.mkdirSync(tmp, { recursive: true }); env.TMPDIR = tmp; }
  return Object.assign(env, extra || {});
}

/** Writes user settings: our defaults < existing file (persistent dirs) < `settings` given. */
function writeSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let existing = {};
  if (fs.existsSync(file)) {
    try { existing = JSON.parse(fs.readFileSync(file, 'utf8')); } catch {
      // Hand-edited JSONC (comments): leave it alone rather than lose the user's edits.
      if (settings) console.error(`[code-server] ${file} is not plain JSON; not merging settings into it`);
      return file;
    }
  }
  fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_SETTINGS, ...existing, ...(settings || {}) }, null, 2));
  return file;
}

/**
 * Installs a .vsix with `code-server --install-extension` into the given dirs (the same ones the
 * server uses, or the server will not see it). ~1-3 s. Best before the workbench is opened; into a
 * running server with a window open it also worked here (activated without a reload).
 */
function installVsix(vsixPath, { userDataDir, extensionsDir, dir, env } = {}) {
  ensureSetup();
  const vsix = path.resolve(vsixPath);
  if (!fs.existsSync(vsix)) throw new Error(`vsix not found: ${vsix}`);
  const base = dir || path.dirname(userDataDir);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CODE_SERVER_ENTRY, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--install-extension', vsix, '--force'], { env: childEnv(base, env), encoding: 'utf8', timeout: 120000 });
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${out}`);
  }
  if (verbose()) console.error(`[code-server] installed ${path.basename(vsix)} in ${Date.now() - t0} ms`);
  return out.trim();
}

/**
 * @param {object} [o]
 * @param {string} [o.host='127.0.0.1']
 * @param {number} [o.port]          fixed port, refused when another program holds it; default: a free one (retried if lost to a race)
 * @param {boolean} [o.nextFreePort] with `port`: when it is taken, use the next free one instead (the demo's default port)
 * @param {string} [o.dir]           persistent base dir (user-data/, extensions/, xdg/, code-server.log);
 *                                   default: a fresh one under .vscode-test/tmp, deleted by stop()
 * @param {string} [o.userDataDir]   override <dir>/user-data
 * @param {string} [o.extensionsDir] override <dir>/extensions
 * @param {object} [o.settings]      user settings merged over the defaults above
 * @param {string|string[]} [o.vsix] .vsix files to install before starting
 * @param {string} [o.folder]        folder opened by the bare URL (code-server's positional arg)
 * @param {object} [o.env]           extra env for the server and everything it spawns (extension host!)
 * @param {string} [o.locale]        display language (code-server's --locale, e.g. 'zh-cn')
 * @param {function} [o.beforeStart] called with {userDataDir, extensionsDir} once the vsix files are installed, before the server starts
 * @param {number} [o.startTimeoutMs=60000]
 * @returns {Promise<{url,host,port,pid,dir,userDataDir,extensionsDir,logFile,
 *                    workbenchUrl(folder?, {payload?}): string, installVsix(p): string, stop(o?): Promise<void>}>}
 */
async function startCodeServer(o = {}) {
  ensureSetup();
  hookSignals();
  const host = o.host || '127.0.0.1';
  const owned = !o.dir;
  const dir = o.dir ? path.resolve(o.dir) : scratchDir('cs-');
  const userDataDir = path.resolve(o.userDataDir || path.join(dir, 'user-data'));
  const extensionsDir = path.resolve(o.extensionsDir || path.join(dir, 'extensions'));
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeSettings(userDataDir, o.settings);
  for (const v of [].concat(o.vsix || [])) installVsix(v, { userDataDir, extensionsDir, dir, env: o.env });
  if (o.beforeStart) o.beforeStart({ userDataDir, extensionsDir });
  const logFile = path.join(dir, 'code-server.log');
  const env = childEnv(dir, o.env);

  let wanted = o.port ? Number(o.port) : undefined;
  for (let attempt = 1; ; attempt++) {
    const port = wanted === undefined ? await freePort(host) : await portToUse(host, wanted, o.nextFreePort);
    const args = [CODE_SERVER_ENTRY, '--bind-addr', `${host}:${port}`, '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
    if (o.locale) args.push('--locale', o.locale);
    if (o.folder) args.push(path.resolve(o.folder));
    // A persistent dir's log holds earlier runs too: only what this server writes counts.
    const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    let exited = null;
    child.on('exit', (code, sig) => { exited = { code, sig }; });
    const url = `http://${host}:${port}`;
    const srv = { pid: child.pid };
    live.add(srv);

    const t0 = Date.now();
    const limit = o.startTimeoutMs || 60000;
    let up = false;
    // Up means: our child is alive, says it listens on this port, and the port answers.
    while (!exited && Date.now() - t0 < limit) {
      if (listensOn(logSince(logFile, logStart), port) && await httpOk(`${url}/healthz`) && !exited) { up = true; break; }
      await new Promise(r => setTimeout(r, 100)); // poll interval, not a wait-for-luck sleep
    }
    if (!up) {
      live.delete(srv);
      killGroup(child.pid, 'SIGKILL');
      const log = logSince(logFile, logStart);
      // The port raced away between our check and code-server's start: try another (or the next one).
      if (/EADDRINUSE/.test(log) && attempt < 3 && (wanted === undefined || o.nextFreePort)) {
        if (wanted !== undefined) wanted = port + 1;
        continue;
      }
      const why = /EADDRINUSE/.test(log) ? `port ${port} on ${host} is in use by another program` : exited ? `exited ${JSON.stringify(exited)}` : 'timeout';
      throw new Error(`code-server did not come up on ${url} (${why}); log ${logFile}:\n${log.split('\n').slice(-30).join('\n')}`);
    }
    if (verbose()) console.error(`[code-server] up on ${url} in ${Date.now() - t0} ms (pid ${child.pid}, dir ${dir})`);

    let stopped = null;
    const stop = ({ keep = !owned || /^(1|true)$/.test(process.env.E2E_KEEP || '') } = {}) => stopped || (stopped = (async () => {
      killGroup(child.pid, 'SIGTERM');
      const gone = await Promise.race([
        new Promise(r => (exited ? r(true) : child.once('exit', () => r(true)))),
        new Promise(r => setTimeout(() => r(false), 5000).unref()),
      ]);
      // Also SIGKILL the group after the leader is gone: extension host / language servers may linger.
      killGroup(child.pid, 'SIGKILL');
      if (!gone && !exited) await new Promise(r => child.once('exit', r));
      live.delete(srv);
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    })());

    return {
      url, host, port, pid: child.pid, dir, userDataDir, extensionsDir, logFile, stop,
      /** vscode-remote:// URI of a path on this server (what the payload parameters take). */
      remote: p => remoteUri(url, p),
      /** Workbench URL for a folder (or a .code-workspace file; none = empty window). */
      workbenchUrl: (folder, opts) => workbenchUrl(url, folder, opts),
      installVsix: p => installVsix(p, { userDataDir, extensionsDir, dir, env: o.env }),
    };
  }
}

/** vscode-remote://HOST:PORT/abs/path - how the browser workbench names files on the server. */
function remoteUri(baseUrl, p) {
  return `vscode-remote://${new URL(baseUrl).host}${path.resolve(p).split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The workbench URL: ?folder= (or ?workspace= for a .code-workspace, ?ew=true for an empty window),
 * plus an optional payload: [[key, value], ...] such as ['extensionDevelopmentPath', remoteUri]
 * - code-server takes these there, not on its command line.
 */
function workbenchUrl(baseUrl, folder, { payload } = {}) {
  const q = [];
  if (folder) {
    const abs = path.resolve(folder);
    // Slashes left readable (valid in a query): http://127.0.0.1:8080/?folder=/abs/ws
    q.push(`${abs.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(abs).replace(/%2F/g, '/')}`);
  } else q.push('ew=true');
  if (payload && payload.length) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${baseUrl.replace(/\/$/, '')}/?${q.join('&')}`;
}

module.exports = { startCodeServer, installVsix, workbenchUrl, remoteUri, DEFAULT_SETTINGS };

// ---- CLI ------------------------------------------------------------------------------------
if (require.main === module) {
  const a = parseArgs(process.argv.slice(2));
  const settings = a.settings ? JSON.parse(fs.readFileSync(a.settings, 'utf8')) : undefined;
  startCodeServer({
    dir: a.dir, host: a.host, port: a.port && Number(a.port), nextFreePort: a['next-free-port'] === 'true', folder: a.folder, settings,
    vsix: a.vsix,
  }).then(cs => {
    const open = a.folder ? cs.workbenchUrl(a.folder) : cs.url;
    console.log(`[code-server] VS Code 1.100.3 is up: ${open}`);
    console.log(`[code-server] log: ${cs.logFile}   (Ctrl+C to stop)`);
    // Stop gracefully on Ctrl+C (SIGTERM first, so VS Code can flush its state in the persistent dir).
    const bye = () => cs.stop().then(() => { console.log('[code-server] stopped'); process.exit(0); });
    process.once('SIGINT', bye);
    process.once('SIGTERM', bye);
  }, e => {
    console.error(`[code-server] ${e.message}`);
    process.exit(1);
  });
}
