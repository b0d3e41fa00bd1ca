import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openReader } from '../../server/src/engine';
import { analyze } from './helpers';

/**
 * Fuzzing the reader and the rules with random bytes, random JSON and random CSV: nothing throws,
 * and every row is accounted for (read as a row, or reported as one that could not be).
 */

const RUNS = { numRuns: 150, seed: 16 };

/** Lines the JSONL reader counts as rows: all but blank ones (spaces, tabs, CR, BOM). */
function nonBlankLines(bytes: Uint8Array): number {
  const text = new TextDecoder('latin1').decode(bytes);
  return text.split('\n').filter((l) => !/^[ \t\r\u00ef\u00bb\u00bf]*$/.test(l) && !/^[ \t\r]*$/.test(l)).length;
}

/** Every row the reader gave is either read (a value) or reported (a problem), never both, never neither. */
function accountedFor(name: string, bytes: Uint8Array): number {
  const rows = [...openReader(name, bytes).rows()];
  for (const r of rows) assert.ok((r.value === undefined) !== (r.problem === undefined), `row ${r.index} at line ${r.line}: value xor problem`);
  return rows.length;
}

test('fuzz: random bytes as JSONL: one row per non-blank line, and the rules run on them all', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      const rows = accountedFor('f.jsonl', bytes);
      // Bytes that are not UTF-8 are decoded line by line; a line is blank or not whatever the encoding.
      const ascii = bytes.every((b) => b < 0x80);
      if (ascii) assert.equal(rows, nonBlankLines(bytes));
      const a = analyze(bytes, 'f.jsonl');
      assert.equal(a.rows, rows);
    }),
    RUNS,
  );
});

test('fuzz: random JSON values as rows never throw, and objects of any shape are rows', () => {
  const value = fc.jsonValue({ maxDepth: 6 });
  fc.assert(
    fc.property(fc.array(fc.oneof(value, fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 5 })), { maxLength: 20 }), (values) => {
      const text = values.map((v) => JSON.stringify(v)).join('\n') + '\n';
      const a = analyze(text, 'f.jsonl', {});
      assert.equal(a.rows, values.length);
      const broken = (a.summary['invalid-json'] ?? 0) + (a.summary['not-an-object'] ?? 0);
      assert.equal(broken, values.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).length);
    }),
    RUNS,
  );
});

test('fuzz: random CSV and TSV text never throws, and every record is a row or a reported one', () => {
  const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', ',', '\t', '\n', '\r', 'é', '1', ';', '|'), maxLength: 10 });
  const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 15 });
  fc.assert(
    fc.property(table, fc.constantFrom(',', '\t', ';'), fc.constantFrom('f.csv', 'f.tsv'), (records, delimiter, name) => {
      const text = records.map((r) => r.join(delimiter)).join('\n');
      const bytes = new TextEncoder().encode(text);
      const rows = accountedFor(name, bytes);
      const a = analyze(bytes, name, {});
      assert.equal(a.rows, rows);
    }),
    RUNS,
  );
});

test('fuzz: random bytes as CSV never throw', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      accountedFor('f.csv', bytes);
      analyze(bytes, 'f.csv', {});
    }),
    RUNS,
  );
});
