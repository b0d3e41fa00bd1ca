'use strict';
// Runs extension-host tests (mocha with the real `vscode` API) inside VS Code 1.100.3 served by
// code-server, opened in headless Chromium.
//
//   const { runExtensionTests } = require('./extHost');
//   const { code } = await runExtensionTests({
//     extensionDevelopmentPath: '/abs/ext',          // or an array
//     extensionTestsPath: '/abs/ext/out/test/index.js', // module exporting run(): Promise<void>
//     workspace: '/abs/folder',                      // folder or .code-workspace; omit = empty window
//     outDir: '/abs/out',                            // failure screenshot + logs land here
//   });                                              // code 0 = all passed
//
// CLI (what scripts/vscode/code-shim.sh execs):
//   node test/e2e/harness/extHost.js --extensionDevelopmentPath=E [...] --extensionTestsPath=T \
//        [--workspace W] [--outDir O] [--timeout MS]          # exit status = test result
//
// Why a browser: code-server refuses --extensionDevelopmentPath/--extensionTestsPath on its command
// line, but the web workbench takes them from the `payload` URL parameter (as vscode-remote://
// URIs on the server). The workbench then calls window.codeAutomationLog(level, message) for the
// extension host's output and window.codeAutomationExit(code, logs) when run() settles - the
// hooks VS Code's own smoke tests use - so we expose both.
const fs = require('fs');
const path = require('path');
const { startCodeServer } = require('./codeServer');
const { ROOT, launchChromium, parseArgs, verbose } = require('./common');

// The workbench logs its own start-up chatter through the same hook. These lines say nothing
// about the tests (the marketplace lookup always fails offline); E2E_VERBOSE=1 shows them.
const NOISE = [
  /^Resolv(ing|ed) connection token/, /^Creating a socket/, /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/, /^ChatSessionStore:/, /ENOTFOUND open-vsx\.org/,
];

function resolveTestsModule(p) {
  const abs = path.resolve(p);
  // test-electron users pass '.../suite/index' without '.js'; the extension host would resolve it
  // too, but resolving here turns a typo into an immediate error instead of a failed run.
  try { return require.resolve(abs); } catch { throw new Error(`extensionTestsPath does not resolve to a module: ${abs}`); }
}

/**
 * @param {object} o
 * @param {string|string[]} o.extensionDevelopmentPath
 * @param {string} o.extensionTestsPath   module exporting run()
 * @param {string} [o.workspace]          folder or .code-workspace to open; omitted = empty window
 * @param {string} [o.outDir]             default .vscode-test/out/ext-host
 * @param {number} [o.timeoutMs]          default $E2E_TIMEOUT_MS or 180000
 * @param {object} [o.settings]           user settings
 * @param {object} [o.env]                extra env for the extension host (test-electron's extensionTestsEnv)
 * @param {(line: string) => void} [o.log] default: stdout
 * @returns {Promise<{code:number, passed:boolean, timedOut:boolean, durationMs:number, screenshot?:string}>}
 */
async function runExtensionTests(o) {
  const t0 = Date.now();
  const log = o.log || (line => process.stdout.write(line.endsWith('\n') ? line : line + '\n'));
  const devPaths = [].concat(o.extensionDevelopmentPath || []).map(p => path.resolve(p));
  if (!devPaths.length) throw new Error('extensionDevelopmentPath is required');
  for (const p of devPaths) {
    if (!fs.existsSync(path.join(p, 'package.json'))) throw new Error(`no package.json in extensionDevelopmentPath ${p}`);
  }
  const testsPath = resolveTestsModule(o.extensionTestsPath);
  const outDir = path.resolve(o.outDir || path.join(ROOT, '.vscode-test', 'out', 'ext-host'));
  const timeoutMs = Number(o.timeoutMs || process.env.E2E_TIMEOUT_MS || 180000);
  if (o.workspace && !fs.existsSync(o.workspace)) throw new Error(`workspace not found: ${o.workspace}`);

  const phase = m => verbose() && log(`[ext-host] ${((Date.now() - t0) / 1000).toFixed(1)}s ${m}`);
  const cs = await startCodeServer({ settings: o.settings, env: o.env });
  phase(`code-server up on ${cs.url}`);
  let browser;
  let timer;
  let result = { code: 1, timedOut: false };
  try {
    const payload = [
      ...devPaths.map(p => ['extensionDevelopmentPath', cs.remote(p)]),
      ['extensionTestsPath', cs.remote(testsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    browser = await launchChromium();
    const { page } = browser;
    let finish;
    const done = new Promise(r => (finish = r));
    await page.exposeFunction('codeAutomationLog', (level, message) => {
      const text = Array.isArray(message) ? message.join(' ') : String(message);
      if (!verbose() && NOISE.some(re => re.test(text))) return;
      log(level === 'error' ? `[ext-host error] ${text}` : text);
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => finish({ code: Number(code), logs }));
    page.on('crash', () => finish({ code: 1, why: 'page crashed' }));
    browser.browser.on('disconnected', () => finish({ code: 1, why: 'browser disconnected' }));
    timer = setTimeout(() => finish({ code: 124, timedOut: true, why: `timed out after ${timeoutMs} ms` }), timeoutMs);
    phase('chromium up');
    await page.goto(cs.workbenchUrl(o.workspace, { payload }));
    phase('workbench loaded');
    result = await done;
    phase('tests finished');
    if (result.why) log(`[ext-host] ${result.why}`);

    if (result.code !== 0) {
      fs.mkdirSync(outDir, { recursive: true });
      result.screenshot = path.join(outDir, 'ext-host-failure.png');
      await page.screenshot({ path: result.screenshot }).catch(() => { result.screenshot = undefined; });
      // The workbench hands over its own logs (exthost, renderer...) with the exit code: keep them.
      fs.rmSync(path.join(outDir, 'logs'), { recursive: true, force: true });
      for (const l of result.logs || []) {
        const f = path.join(outDir, 'logs', l.relativePath);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, l.contents);
      }
      fs.copyFileSync(cs.logFile, path.join(outDir, 'code-server.log'));
      log(`[ext-host] failure artifacts in ${outDir}`);
    }
  } finally {
    clearTimeout(timer);
    if (browser) await browser.close();
    phase('chromium closed');
    await cs.stop();
    phase('code-server stopped');
  }
  const durationMs = Date.now() - t0;
  log(`[ext-host] exit code ${result.code} after ${(durationMs / 1000).toFixed(1)}s`);
  return { code: result.code, passed: result.code === 0, timedOut: !!result.timedOut, durationMs, screenshot: result.screenshot };
}

module.exports = { runExtensionTests };

if (require.main === module) {
  const a = parseArgs(process.argv.slice(2));
  runExtensionTests({
    extensionDevelopmentPath: a.extensionDevelopmentPath,
    extensionTestsPath: a.extensionTestsPath,
    workspace: a.workspace || a._[0],
    outDir: a.outDir,
    timeoutMs: a.timeout && Number(a.timeout),
  }).then(r => process.exit(r.code > 0 && r.code < 256 ? r.code : r.code === 0 ? 0 : 1), e => { console.error(`[ext-host] ${e.message}`); process.exit(1); });
}
