'use strict';
// Shared bits of the e2e harness: where things live, making sure they are installed, and a
// Chromium that works on this machine.
//
// Everything runtime lives under <repo>/.vscode-test (gitignored), installed by
// scripts/vscode/setup.sh. Nothing here may reach outside the repo (e.g. ../shared) at run time.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const VT = path.resolve(process.env.VSCODE_TEST_DIR || path.join(ROOT, '.vscode-test'));
const CS = path.join(VT, 'cs');
const CODE_SERVER_ENTRY = path.join(CS, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const SETUP_SH = path.join(ROOT, 'scripts', 'vscode', 'setup.sh');
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const verbose = () => /^(1|true|yes)$/i.test(process.env.E2E_VERBOSE || '');

// Playwright's own browser download is unreachable here, so we always drive Debian's Chromium.
// These flags are what it takes: no sandbox as root; no background networking, or Chromium
// hammers this closed network with refused connections at every start.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', // small /dev/shm in some containers crashes tabs
];

let setupChecked = false;
/**
 * Runs scripts/vscode/setup.sh once per process: ~0.1 s when all is installed, ~1-2 min the first
 * time on a machine (apt + npm). Always asking setup.sh (rather than trusting a stamp here) means
 * a version bump in setup.sh takes effect on the next run.
 */
function ensureSetup() {
  if (setupChecked) return;
  const r = spawnSync('bash', [SETUP_SH], {
    stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, VSCODE_SETUP_QUIET: '1' },
  });
  if (r.status !== 0) throw new Error(`scripts/vscode/setup.sh failed (exit ${r.status})`);
  setupChecked = true;
  pruneStale();
}

/** Scratch dirs of runs that died without cleaning up (kill -9, crash): drop them after a day. */
function pruneStale() {
  const base = path.join(VT, 'tmp');
  let names = [];
  try { names = fs.readdirSync(base); } catch { return; }
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const n of names) {
    if (!/^(cs-|chrome-home-)/.test(n)) continue;
    const p = path.join(base, n);
    try { if (fs.statSync(p).mtimeMs < dayAgo) fs.rmSync(p, { recursive: true, force: true }); } catch { /* racing another run */ }
  }
}

/** playwright-core: the project's own copy if present, else the one setup.sh put into .vscode-test/cs. */
function playwright() {
  for (const from of [ROOT, CS]) {
    try { return require(require.resolve('playwright-core', { paths: [from] })); } catch { /* next */ }
  }
  ensureSetup();
  return require(require.resolve('playwright-core', { paths: [CS] }));
}

/** A fresh scratch dir under .vscode-test/tmp (kept inside the repo's ignored folder, not /tmp). */
function scratchDir(prefix) {
  const base = path.join(VT, 'tmp');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, prefix));
}

/**
 * Launches headless Chromium with a 1400x900 page. Each launch gets a fresh profile (Playwright
 * makes a temp one), so no VS Code state (IndexedDB) leaks between runs. HOME is pointed into
 * scratch so Chromium's ~/.pki etc. do not land in the real home.
 */
async function launchChromium({ viewport = { width: 1400, height: 900 }, home } = {}) {
  ensureSetup();
  const { chromium } = playwright();
  const h = home || scratchDir('chrome-home-');
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: h, XDG_CONFIG_HOME: path.join(h, '.config'), XDG_CACHE_HOME: path.join(h, '.cache') },
  });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  if (verbose()) {
    page.on('pageerror', e => console.error('[page error]', e.message));
    page.on('console', m => m.type() === 'error' && console.error('[page console]', m.text()));
  }
  const close = async () => {
    await browser.close().catch(() => {});
    if (!home) fs.rmSync(h, { recursive: true, force: true });
  };
  return { browser, context, page, close };
}

/** "publisher.name" from an extension folder's package.json: the id vscode.extensions.getExtension wants. */
function extensionId(extensionPath) {
  const pj = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  return `${pj.publisher}.${pj.name}`.toLowerCase();
}

/** Minimal --flag value / --flag=value parser for the CLIs; repeated flags become arrays. */
function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { out._.push(a); continue; }
    let [k, v] = a.slice(2).split(/=(.*)/s);
    if (v === undefined) v = (argv[i + 1] && !argv[i + 1].startsWith('--')) ? argv[++i] : 'true';
    out[k] = k in out ? [].concat(out[k], v) : v;
  }
  return out;
}

module.exports = {
  ROOT, VT, CS, CODE_SERVER_ENTRY, CHROMIUM, CHROMIUM_ARGS,
  ensureSetup, playwright, scratchDir, launchChromium, extensionId, parseArgs, verbose,
};
