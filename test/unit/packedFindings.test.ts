import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDataset, datasetRowHashes, parseConfig } from '../../server/src/engine';
import { packFindings, unpackFindings } from '../../server/src/engine/analysis/packedFindings';
import { postedAnalysis, receivedAnalysis } from '../../server/src/engine/analysis/postedAnalysis';
import { jsonl } from './helpers';

test('findings packed for another thread come back field for field, in the same key order', () => {
  const rows: unknown[] = [];
  for (let i = 0; i < 400; i++) rows.push({ text: i % 5 ? `Ünïcode review ${i % 150} 😀 <b>bold</b>` : 'call 555-123-4567 or mail a@b.io', label: i % 9 ? 'pos' : i % 2 ? 'neg' : 'Pos' });
  rows.push('{"text": broken', '', { text: '' }, { text: 'x\u0000y', label: 'pos' });
  const { config } = parseConfig({});
  // With fixes, findings carry every optional field some of the time.
  const { findings } = analyzeDataset('d.jsonl', new TextEncoder().encode(jsonl(...rows)), config, { fixes: true });
  const fields = new Set(findings.flatMap((f) => Object.entries(f).filter(([, v]) => v !== undefined).map(([k]) => k)));
  for (const k of ['related', 'data', 'fix', 'row']) assert.ok(fields.has(k), k);
  assert.ok(findings.some((f) => /[^\x00-\x7f]/.test(f.message)), 'a message that is not ASCII');
  const back = unpackFindings(structuredClone(packFindings(findings)));
  assert.deepEqual(back, findings);
  assert.equal(JSON.stringify(back), JSON.stringify(findings));
  assert.deepEqual(back.map((f) => Object.keys(f)), findings.map((f) => Object.keys(f)));
});

test('no findings pack to nothing', () => {
  assert.deepEqual(unpackFindings(packFindings([])), []);
});

test('an analysis posted from a worker thread comes back as it was made, with the row hashes the split comparison reads', () => {
  const rows = Array.from({ length: 300 }, (_, i) => ({ text: `review ${i % 120} of the product`, label: i % 4 ? 'pos' : 'neg' }));
  const bytes = new TextEncoder().encode(jsonl(...rows));
  const analysis = analyzeDataset('d.jsonl', bytes, parseConfig({}).config, { fixes: true });
  const { posted, transfer } = postedAnalysis(analysis);
  const back = receivedAnalysis(structuredClone(posted, { transfer }));
  assert.deepEqual(back, analysis);
  assert.equal(JSON.stringify(back), JSON.stringify(analysis));
  // Without the bytes: the hashes came along (a copied analysis would otherwise need the file read again).
  assert.deepEqual(datasetRowHashes(back), datasetRowHashes(analysis, bytes));
});
