import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../server/src/lsp/hover';
import { analyze, jsonl } from './helpers';

const lines = [
  { text: 'a perfectly ordinary review of the film', label: 'pos' },
  { text: 'write to me at someone@example.org please', label: 'pos' },
  { text: 'another ordinary review of a film', label: 'neg' },
];
const text = jsonl(...lines);
const doc = { uri: 'file:///w/d.jsonl', analysis: analyze(text), version: 1 };
const at = (line: number, character: number) => hover(doc, { textDocument: { uri: doc.uri }, position: { line, character } }, text.split('\n')[line])!.contents as { value: string };

test('hover: severities in words (no theme icons, which a language server\'s Markdown cannot show)', () => {
  const value = at(1, 0).value;
  assert.match(value, /\*\*Warning\*\* `pii-email`/);
  assert.ok(!value.includes('$('), value);
});

test('hover: a finding under the pointer is left to VS Code\'s own diagnostic hover, the row\'s others are listed', () => {
  const email = doc.analysis.findings.find((f) => f.rule === 'pii-email')!;
  const inside = at(1, email.column); // 0-based character of the second column of the range
  assert.ok(!inside.value.includes('`pii-email`'), inside.value);
  assert.match(inside.value, /row at line 2: label \*\*pos\*\*/);
  assert.match(at(1, 0).value, /`pii-email`/);
});
