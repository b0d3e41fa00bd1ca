import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBandTable } from '../../server/src/engine/similarity/bandTable';
import { clusterRows } from '../../server/src/engine/similarity/clusters';
import { bandLayout, candidatePairs, unpackPair } from '../../server/src/engine/similarity/lsh';
import { bandBins, estimateJaccard, Sketcher } from '../../server/src/engine/similarity/minhash';
import { appendWordHashes, HashList, isWordChar, jaccard, shingleSet, wordShingleHashes } from '../../server/src/engine/similarity/shingles';
import { profileText, WORDS } from '../../server/src/engine/text/profile';
import { rng } from './nearText';

/** Two sets of about `n` random 32-bit shingle hashes with Jaccard similarity close to `j`; returns the true value. */
function pairAt(j: number, n: number, random: () => number): { a: Int32Array; b: Int32Array; jaccard: number } {
  const unique = Math.round((n * (1 - j)) / (1 + j));
  const shared = n - unique;
  const draw = () => (random() * 0x100000000) | 0;
  const common = Array.from({ length: shared }, draw);
  const a = Int32Array.from([...common, ...Array.from({ length: unique }, draw)]);
  const b = Int32Array.from([...common, ...Array.from({ length: unique }, draw)]);
  return { a, b, jaccard: shared / (shared + 2 * unique) };
}

test('word shingles ignore case and punctuation; short texts fall back to character 3-grams', () => {
  assert.equal(shingleSet('one two three four five six', 5).length, 2);
  assert.deepEqual(shingleSet('The cat, sat on the mat today', 5), shingleSet('the CAT sat on... the mat TODAY!', 5));
  assert.equal(shingleSet('hello', 5).length, 3, 'hel, ell, llo');
  assert.equal(shingleSet('ok', 5).length, 1);
  assert.equal(shingleSet('', 5).length, 0);
  assert.deepEqual(shingleSet('Ｃａｆé au lait is good today', 5), shingleSet('café au lait is good today', 5), 'NFKC and case folding');
  assert.equal(jaccard(shingleSet('a b c d e f', 5), shingleSet('a b c d e g', 5)), 1 / 3);
});

test('the per-row pass reuses profileText word hashes: the same words and hashes as the shingler', () => {
  const random = rng(7);
  const alphabet = "abcXYZ019' .,-\t\nçÉ—";
  for (let t = 0; t < 300; t++) {
    let s = '';
    const len = Math.floor(random() * 60);
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    const ascii = s.replace(/[^\x00-\x7f]/g, ' ');
    const profile = profileText(ascii);
    const list = new HashList();
    appendWordHashes(ascii, list);
    assert.deepEqual(Array.from(list.values.subarray(0, list.length)), Array.from(WORDS.hash.subarray(0, profile.wordCount)), JSON.stringify(ascii));
  }
  for (const c of [39, 48, 65, 97, 0xc0, 0x2000, 0x3000, 0x3040, 0xfe00]) {
    const profile = profileText(`a${String.fromCharCode(c)}b`);
    assert.equal(profile.wordCount === 1, isWordChar(c), `char ${c.toString(16)}`);
  }
});

test('rolling word-shingle hashes: one per window, equal windows hash equal', () => {
  const w = Int32Array.from([1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5]);
  const out = new HashList();
  wordShingleHashes(w, w.length, 5, out);
  assert.equal(out.length, 7);
  assert.equal(out.values[0], out.values[6]);
  assert.notEqual(out.values[0], out.values[1]);
});

test('OPH signatures: the share of agreeing bins tracks the true Jaccard similarity', () => {
  const random = rng(11);
  const sketcher = new Sketcher(6);
  for (const j of [0.2, 0.5, 0.7, 0.85, 0.95]) {
    let sum = 0;
    let truth = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const p = pairAt(j, 60, random);
      sketcher.sign(p.a, p.a.length);
      const sa = sketcher.signature.slice();
      sketcher.sign(p.b, p.b.length);
      sum += estimateJaccard(sa, sketcher.signature);
      truth += p.jaccard;
    }
    assert.ok(Math.abs(sum / trials - truth / trials) < 0.03, `J ${j}: estimate ${sum / trials} vs ${truth / trials}`);
  }
});

test('band layout: 16 bands over a pool of 8r bins, each bin in two bands, two bands share at most one bin', () => {
  assert.deepEqual(bandLayout(0.8), { bands: 16, rows: 6 });
  assert.ok(bandLayout(0.9).rows > bandLayout(0.6).rows);
  const layout = bandBins(6);
  const uses = new Array(48).fill(0);
  for (const b of layout) uses[b]++;
  assert.ok(uses.every((u) => u === 2));
  for (let s = 0; s < 16; s++) {
    const band = new Set(layout.subarray(s * 6, s * 6 + 6));
    assert.equal(band.size, 6);
    for (let t = s + 1; t < 16; t++) assert.ok([...layout.subarray(t * 6, t * 6 + 6)].filter((x) => band.has(x)).length <= 1);
  }
});

test('LSH candidate recall follows the S-curve: pairs at 0.95 and 0.85 found, 0.5 mostly not', () => {
  const random = rng(5);
  const sketcher = new Sketcher(bandLayout(0.8).rows);
  const rate: Record<string, number> = {};
  for (const j of [0.95, 0.85, 0.7, 0.5]) {
    const pairs = 400;
    const columns = Array.from({ length: 16 }, () => new Uint32Array(pairs * 2));
    const keys = new Uint32Array(16);
    for (let i = 0; i < pairs; i++) {
      const p = pairAt(j, 50, random);
      for (const [row, set] of [[2 * i, p.a], [2 * i + 1, p.b]] as const) {
        sketcher.sign(set, set.length);
        sketcher.bandKeys(keys, 0);
        for (let t = 0; t < 16; t++) columns[t][row] = keys[t];
      }
    }
    const found = candidatePairs([buildBandTable(columns, pairs * 2)], 16, pairs * 2);
    let hits = 0;
    for (const packed of found) {
      const { hi, lo } = unpackPair(packed, pairs * 2);
      if (hi === lo + 1 && lo % 2 === 0) hits++;
    }
    rate[j] = hits / pairs;
  }
  assert.ok(rate[0.95] >= 0.99, JSON.stringify(rate));
  assert.ok(rate[0.85] >= 0.97, JSON.stringify(rate));
  assert.ok(rate[0.7] >= 0.55 && rate[0.7] <= 0.97, JSON.stringify(rate));
  assert.ok(rate[0.5] <= 0.4, JSON.stringify(rate));
});

test('band tables split across shards find the same candidates as one table', () => {
  const random = rng(9);
  const n = 3000;
  const columns = Array.from({ length: 16 }, () => new Uint32Array(n));
  for (let i = 0; i < n; i++) for (let t = 0; t < 16; t++) columns[t][i] = i % 7 === 0 ? 0 : 1 + Math.floor(random() * 500);
  const whole = candidatePairs([buildBandTable(columns, n)], 16, n);
  const cut = 1234;
  const parts = [buildBandTable(columns.map((c) => c.subarray(0, cut)), cut, 0), buildBandTable(columns.map((c) => c.slice(cut)), n - cut, cut)];
  assert.ok(whole.length > 0);
  assert.deepEqual(candidatePairs(parts, 16, n), whole);
});

test('clustering never chains: A~B and B~C but A≁C leaves C out of A’s cluster', () => {
  const sim = new Map([['0,1', 0.9], ['1,2', 0.9], ['0,2', 0.5], ['0,3', 0.85], ['2,4', 0.95]]);
  const pairs = Float64Array.from([1 * 5 + 0, 2 * 5 + 0, 2 * 5 + 1, 3 * 5 + 0, 4 * 5 + 2]);
  const { rep, similarity } = clusterRows(5, pairs, (a, b) => sim.get(`${a},${b}`) ?? 0, 0.8);
  assert.deepEqual(Array.from(rep), [0, 0, 2, 0, 2]);
  assert.equal(similarity[1], 0.9);
  assert.equal(similarity[3], 0.85);
});
