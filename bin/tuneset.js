#!/usr/bin/env node
// The published CLI entry: the bundled build of server/src/cli.ts.
require('../dist/cli.js').main(process.argv.slice(2)).then((code) => (process.exitCode = code));
