import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDataset, toBytes, withExtraFindings, DEFAULT_CONFIG } from '../../server/src/engine';
import { isNearDuplicateFinding } from '../../server/src/host/nearDuplicateWorker';

/**
 * The editor's file over 20,000 lines (#17): its per-keystroke analysis skips the file-wide
 * near-duplicate search, which runs in the background and is merged with withExtraFindings. The
 * merged analysis must count those findings in its severity counts, rows with warnings and score
 * (the status bar and the score read these), exactly as one full analysis of the file counts them.
 */
test('background near-duplicates merged into a big file\'s analysis count in its severities and score as a full analysis does', () => {
  const rows: string[] = [];
  for (let i = 0; i < 20_500; i++) {
    const base = Array.from({ length: 30 }, (_, k) => `w${i}x${k}`).join(' ') + ' and the box was open';
    rows.push(JSON.stringify({ text: base, label: i % 2 ? 'late' : 'ok' }));
    // Every 50th row has a near-duplicate a word apart.
    if (i % 50 === 0) rows.push(JSON.stringify({ text: base.replace('box was open', 'box was torn'), label: i % 2 ? 'late' : 'ok' }));
  }
  assert.ok(rows.length > 20_000);
  const bytes = toBytes(rows.join('\n') + '\n');
  const full = analyzeDataset('big.jsonl', bytes, DEFAULT_CONFIG, {});
  const fast = analyzeDataset('big.jsonl', bytes, DEFAULT_CONFIG, { nearDuplicates: false });
  const background = full.findings.filter(isNearDuplicateFinding);
  assert.ok(background.length > 300, `${background.length} near-duplicate findings`);
  assert.ok(fast.stats.findingsBySeverity.warning < full.stats.findingsBySeverity.warning, 'the fast pass alone under-counts');
  const merged = withExtraFindings(fast, background, { clusters: full.stats.nearDuplicateClusters, rows: full.stats.nearDuplicateRows });
  assert.deepEqual(merged.stats.findingsBySeverity, full.stats.findingsBySeverity);
  assert.equal(merged.stats.rowsWithWarnings, full.stats.rowsWithWarnings);
  assert.deepEqual(merged.stats.quality, full.stats.quality);
  assert.deepEqual(merged.summary, full.summary);
});
