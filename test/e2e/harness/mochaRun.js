'use strict';
// Mocha runner for use *inside* the extension host (the module given as extensionTestsPath):
//
//   // out/test/e2e/index.js
//   exports.run = () => require('<repo>/test/e2e/harness/mochaRun').run({
//     dir: __dirname,            // every *.test.js below it (or files: [...])
//     ui: 'tdd', timeout: 60000,
//   });
//
// Why not plain `new Mocha()`: in code-server the extension host's console is forwarded to the
// browser as one already-joined string per call, so printf-style calls such as mocha's
// `console.log('  ✔ %s (%dms)', title, ms)` arrive as "✔ %s (%dms) title 12". Formatting each
// call with util.format before VS Code's console hook sees it keeps the output readable.
// (Exit code and pass/fail are right either way; this is only about the log.)
const fs = require('fs');
const path = require('path');
const util = require('util');

function preformatConsole() {
  if (console.__e2ePreformatted) return;
  for (const m of ['log', 'info', 'warn', 'error', 'debug']) {
    const hooked = console[m]; // VS Code's forwarder (a getter returning a fresh wrapper)
    const pre = (...args) => hooked.call(console, util.format(...args));
    // VS Code defines console.* as accessors whose setter ignores assignment, so plain
    // `console.log = ...` silently does nothing; redefine the property where allowed.
    try { Object.defineProperty(console, m, { value: pre, writable: true, configurable: true }); } catch { /* locked: mocha is still covered below */ }
  }
  console.__e2ePreformatted = true;
}

function findTests(dir, re) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') out.push(...findTests(p, re));
    else if (e.isFile() && re.test(e.name)) out.push(p);
  }
  return out.sort();
}

/**
 * @param {object} o
 * @param {string[]} [o.files]        test files
 * @param {string} [o.dir]            or: a folder searched for o.pattern (default /\.test\.js$/)
 * @param {RegExp} [o.pattern]
 * @param {string} [o.ui='tdd']       'tdd' (suite/test) or 'bdd' (describe/it)
 * @param {number} [o.timeout=60000]
 * @param {string} [o.grep]           default $E2E_GREP: run only tests whose title matches
 * @param {object} [o.mochaOptions]   passed to new Mocha()
 * @param {Function} [o.Mocha]        a specific Mocha class (default: require('mocha'))
 * @returns {Promise<void>} rejects when any test failed (VS Code turns that into exit code 1)
 */
function run(o = {}) {
  preformatConsole();
  // mocha <=11 is CommonJS (module = the class); mocha 12 is ESM, and require() of it (Node
  // 20.19+) yields the namespace with the class as .default / .Mocha.
  const from = [__dirname, o.dir, ...(o.files || []).map(f => path.dirname(path.resolve(f)))].filter(Boolean);
  const m = o.Mocha || require(require.resolve('mocha', { paths: from })); // the repo's, else the tests' own
  const Mocha = typeof m === 'function' ? m : (m.default || m.Mocha);
  // Reporters print through Base.consoleLog, captured at load time: point it at a preformatter.
  Mocha.reporters.Base.consoleLog = (...args) => console.log(util.format(...args));
  const grep = o.grep || process.env.E2E_GREP;
  const mocha = new Mocha({ ui: o.ui || 'tdd', color: false, timeout: o.timeout || 60000, ...(grep ? { grep } : {}), ...o.mochaOptions });
  const files = o.files || findTests(o.dir, o.pattern || /\.test\.js$/);
  if (!files.length) return Promise.reject(new Error(`no test files found (${o.dir || 'files: []'})`));
  files.forEach(f => mocha.addFile(path.resolve(f)));
  return new Promise((resolve, reject) => {
    try {
      mocha.run(failures => (failures ? reject(new Error(`${failures} test(s) failed.`)) : resolve()));
    } catch (e) { reject(e); }
  });
}

module.exports = { run, preformatConsole };
