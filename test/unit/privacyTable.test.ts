import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findSecrets } from '../../server/src/engine/rules/secrets';
import { PRIVACY_RULES, PRIVACY_TABLE } from '../fixtures/privacy/table';
import { scorePrivacy } from '../fixtures/privacy/score';

const ROOT = join(__dirname, '..', '..');
const describe = (c: { text: string; note: string }) => `${c.note}: ${JSON.stringify(c.text.length > 90 ? `${c.text.slice(0, 90)}…` : c.text)}`;

test('the privacy table holds at least 100 hits and 100 near misses, every rule with both', () => {
  const hits = PRIVACY_TABLE.filter((c) => c.kind !== null);
  assert.ok(hits.length >= 100, `${hits.length} hits`);
  assert.ok(PRIVACY_TABLE.length - hits.length >= 100, `${PRIVACY_TABLE.length - hits.length} near misses`);
  for (const rule of PRIVACY_RULES) assert.ok(hits.filter((c) => c.kind === rule).length >= 10, `${rule} has 10 hits or more`);
});

test('every case the rules were tuned on is found by its rule and flagged by no other', () => {
  const score = scorePrivacy(PRIVACY_TABLE.filter((c) => !c.heldOut));
  assert.deepEqual(score.missed.map(describe), [], 'missed');
  assert.deepEqual(score.wronglyFlagged.map((w) => `${w.rules.join(', ')} on ${describe(w.case)}`), [], 'flagged by a rule not its own');
});

test('on the held-out cases, precision and recall stay at 0.95 or over, and no near miss is a secret', () => {
  const heldOut = PRIVACY_TABLE.filter((c) => c.heldOut);
  assert.ok(heldOut.length >= 60);
  const score = scorePrivacy(heldOut);
  assert.ok(score.overall.precision >= 0.95, `precision ${score.overall.precision}`);
  assert.ok(score.overall.recall >= 0.95, `recall ${score.overall.recall}`);
  assert.equal(score.rules.secret.falseAlarms, 0, score.wronglyFlagged.map((w) => describe(w.case)).join('; '));
});

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('no ordinary identifier or line of code is a secret (this project, and the DOM library declarations)', () => {
  const files = [...sources(join(ROOT, 'server', 'src')), ...sources(join(ROOT, 'client', 'src')), join(ROOT, 'README.md'), join(ROOT, 'node_modules', 'typescript', 'lib', 'lib.dom.d.ts')];
  const identifiers = new Set<string>();
  let lines = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const line of text.split('\n')) {
      lines++;
      assert.deepEqual(findSecrets(line), [], `${file}: ${line}`);
    }
    for (const id of text.match(/[A-Za-z_$][\w$-]{2,}/g) ?? []) identifiers.add(id);
  }
  for (const id of identifiers) assert.deepEqual(findSecrets(id), [], id);
  // The identifiers that look most like keys, written out so the test says what it is about.
  for (const id of ['sk-learn_preprocessing_pipeline_v2', 'sk-learn', 'hf_hub_download', 'HF_HUB_ENABLE_HF_TRANSFER', 'npm_config_cache', 'AWSAccessKeyId', 'ghp_token_placeholder', 'xoxb-your-bot-token', 'my_super_long_variable_name_for_testing_purposes']) {
    assert.deepEqual(findSecrets(id), [], id);
  }
  assert.ok(identifiers.size > 10_000 && lines > 10_000, `${identifiers.size} identifiers, ${lines} lines`);
});
