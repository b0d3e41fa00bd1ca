import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat } from '../../server/src/engine';
import { analyze, jsonl } from './helpers';

const many = (row: object) => Array.from({ length: 5 }, () => row);

test('each format is detected with its fields', () => {
  const cases: [object, string, object][] = [
    [{ text: 'a', label: 'b' }, 'classification', { text: 'text', label: 'label' }],
    [{ sentence: 'a', sentiment: 1 }, 'classification', { text: 'sentence', label: 'sentiment' }],
    [{ review: 'a', category: 'x' }, 'classification', { text: 'review', label: 'category' }],
    [{ instruction: 'a', input: '', output: 'b' }, 'instruction', { instruction: 'instruction', input: 'input', output: 'output' }],
    [{ instruction: 'a', context: 'c', response: 'b' }, 'instruction', { instruction: 'instruction', input: 'context', output: 'response' }],
    [{ messages: [{ role: 'user', content: 'x' }] }, 'chat', { messages: 'messages' }],
    [{ conversations: [{ from: 'human', value: 'x' }] }, 'sharegpt', { conversations: 'conversations' }],
    [{ prompt: 'a', completion: 'b' }, 'prompt-completion', { prompt: 'prompt', completion: 'completion' }],
    [{ prompt: 'a', chosen: 'b', rejected: 'c' }, 'preference', { prompt: 'prompt', chosen: 'chosen', rejected: 'rejected' }],
    [{ text: 'just text' }, 'text', { text: 'text' }],
    [{ foo: 1 }, 'unknown', {}],
  ];
  for (const [row, format, fields] of cases) {
    const d = detectFormat(many(row) as Record<string, unknown>[]);
    assert.equal(d.format, format, JSON.stringify(row));
    assert.deepEqual(d.fields, fields, JSON.stringify(row));
  }
});

test('settings override detection: field names and a forced format', () => {
  const d = detectFormat(many({ body: 'x', tag: 'y' }) as Record<string, unknown>[], { textField: 'body', labelField: 'tag' });
  assert.deepEqual([d.format, d.fields], ['classification', { text: 'body', label: 'tag' }]);
  const forced = detectFormat(many({ text: 'x', label: 'y' }) as Record<string, unknown>[], { format: 'text' });
  assert.equal(forced.format, 'text');
});

test('the analysis reports the detected format and fields', () => {
  const a = analyze(jsonl({ sentence: 'good film indeed', sentiment: 'pos' }), 'x.jsonl');
  assert.equal(a.format, 'classification');
  assert.deepEqual(a.fields, { text: 'sentence', label: 'sentiment' });
});

test('csv uses the same aliases', () => {
  const a = analyze('review,class\ngreat film indeed,1\nbad film indeed,0\n', 'x.csv');
  assert.deepEqual([a.format, a.labels], ['classification', { 1: 1, 0: 1 }]);
});
