// End-to-end tests in a real VS Code (code-server 4.100.3 in headless Chromium): the extension-host
// suite, then the UI test as a person sees it. Each gets a fresh copy of the sample workspace.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runExtensionTests } = require('./harness/extHost');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test-output');

function sampleWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuneset-ws-'));
  fs.cpSync(path.join(ROOT, 'samples'), dir, { recursive: true });
  return dir;
}

(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const only = process.argv[2];
  let failed = false;
  if (!only || only === 'ext') {
    const { code } = await runExtensionTests({
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
      workspace: sampleWorkspace(),
      outDir: path.join(OUT, 'ext-host'),
    });
    failed ||= code !== 0;
  }
  const vsix = path.join(ROOT, '.vscode-test', 'tuneset-e2e.vsix');
  if (!only || only === 'ui' || only === 'l10n' || only === 'editor') {
    fs.mkdirSync(path.dirname(vsix), { recursive: true });
    const pack = require('child_process').spawnSync('npx', ['vsce', 'package', '--no-dependencies', '-o', vsix], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (pack.status !== 0) throw new Error('vsce package failed');
  }
  if (!only || only === 'ui' || only === 'editor') {
    const ui = require('./ui.test.js');
    // `editor`: only the steps of living in the editor (the dataset view, typing latency).
    failed ||= !(await (only === 'editor' ? ui.runEditor : ui.run)({ workspace: sampleWorkspace(), outDir: path.join(OUT, 'ui'), vsix }));
  }
  if (!only || only === 'l10n') {
    // The display language zh-cn: Tuneset's findings, status bar, palette titles and panel pages in Chinese.
    const l10n = require('./l10n.test.js');
    failed ||= !(await l10n.run({ outDir: path.join(OUT, 'l10n'), vsix }));
  }
  if (!only || only === 'export') {
    // The exported HTML report opened in Chromium as a file, the way a reviewer would open it.
    const r = require('child_process').spawnSync(process.execPath, ['--test', path.join(__dirname, 'report-export.test.js')], { stdio: 'inherit' });
    failed ||= r.status !== 0;
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
