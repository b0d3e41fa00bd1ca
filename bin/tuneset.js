#!/usr/bin/env node
// The published CLI entry: the bundled build of server/src/cli.ts.
process.exitCode = require('../dist/cli.js').main(process.argv.slice(2));
