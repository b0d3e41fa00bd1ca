'use strict';
// @vscode/test-electron's runTests(), pointed at scripts/vscode/code-shim.sh so that it runs the
// tests in code-server (test-electron's own VS Code download cannot reach its host here).
//
//   const { runTestsInCodeServer } = require('./testElectron');
//   await runTestsInCodeServer({ extensionDevelopmentPath, extensionTestsPath, workspace,
//                                extensionTestsEnv: { FOO: '1' } });   // rejects on failure
//
// CLI: node test/e2e/harness/testElectron.js --extensionDevelopmentPath=E --extensionTestsPath=T [--workspace W]
const path = require('path');
const { ROOT, ensureSetup, parseArgs } = require('./common');

const SHIM = path.join(ROOT, 'scripts', 'vscode', 'code-shim.sh');

/** Same options as test-electron's runTests, plus `workspace` (prepended to launchArgs). */
async function runTestsInCodeServer(o) {
  ensureSetup(); // before test-electron starts the shim, so a first-time install is not mistaken for a hang
  const { runTests } = require(require.resolve('@vscode/test-electron', { paths: [ROOT, process.cwd()] }));
  const { workspace, ...rest } = o;
  return runTests({
    ...rest,
    vscodeExecutablePath: SHIM,
    launchArgs: [...(workspace ? [path.resolve(workspace)] : []), ...(o.launchArgs || [])],
    // Otherwise test-electron adds --user-data-dir/--extensions-dir under ./.vscode-test; the shim
    // ignores them (fresh dirs every run), so do not even suggest them.
    reuseMachineInstall: true,
  });
}

module.exports = { runTestsInCodeServer, SHIM };

if (require.main === module) {
  const a = parseArgs(process.argv.slice(2));
  runTestsInCodeServer({
    extensionDevelopmentPath: a.extensionDevelopmentPath,
    extensionTestsPath: a.extensionTestsPath,
    workspace: a.workspace || a._[0],
  }).then(() => process.exit(0), e => { console.error(`runTests failed: ${e.message}`); process.exit(1); });
}
