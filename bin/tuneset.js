#!/usr/bin/env node
// The published CLI entry: the bundled build of server/src/cli/main.ts, with its last-resort handler.
require('./compileCache').enableCompileCache(require('path').join(__dirname, '..', 'dist'));
let cli;
try {
  cli = require('../dist/cli.js');
} catch (e) {
  // A checkout that was never built has no dist/: said in one line, as every failure is, instead of Node's dump.
  const unbuilt = e.code === 'MODULE_NOT_FOUND' && /dist[\\/]cli\.js/.test(e.message);
  process.stderr.write(unbuilt ? 'tuneset: the CLI is not built (no dist/cli.js); run `npm run build` first\n' : `tuneset: cannot load the CLI: ${e.message.split('\n')[0]}\nthis is a bug in Tuneset: please report it (node ${process.version})\n`);
  if (process.argv.includes('--debug') || process.env.TUNESET_DEBUG === '1') process.stderr.write(`${e.stack}\n`);
  process.exit(2);
}
cli.run(process.argv.slice(2));
