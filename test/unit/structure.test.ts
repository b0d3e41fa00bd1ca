import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, jsonl, ofRule } from './helpers';

const good = { text: 'a perfectly fine row', label: 'a' };

test('not-an-object: arrays, numbers, strings and null', () => {
  const a = analyze(jsonl(good, '[1,2]', '42', '"text"', 'null'));
  assert.deepEqual(ofRule(a, 'not-an-object').map((f) => f.line), [2, 3, 4, 5]);
});

test('missing-field and wrong-type, with a near miss of a valid row', () => {
  const a = analyze(jsonl(good, { label: 'a' }, { text: 7, label: 'a' }, { text: 'ok row', label: { x: 1 } }, good, good, good));
  assert.deepEqual(ofRule(a, 'missing-field').map((f) => f.line), [2]);
  assert.deepEqual(ofRule(a, 'wrong-type').map((f) => f.line), [3, 4]);
  assert.equal(a.findings.filter((f) => f.line === 1).length, 0);
});

test('empty-field and missing-label', () => {
  const a = analyze(jsonl(good, { text: '   ', label: 'a' }, { text: 'no label here' }, { text: 'empty label', label: '' }));
  assert.deepEqual(ofRule(a, 'empty-field').map((f) => f.line), [2]);
  assert.deepEqual(ofRule(a, 'missing-label').map((f) => f.line), [3, 4]);
});

const chat = (...turns: [string, string][]) => ({ messages: turns.map(([role, content]) => ({ role, content })) });

test('chat: a well-formed conversation has no structure finding', () => {
  const a = analyze(jsonl(chat(['system', 'Be kind.'], ['user', 'Hi there'], ['assistant', 'Hello! How can I help?'])));
  assert.equal(a.format, 'chat');
  assert.deepEqual(a.findings, []);
});

test('chat-role-order: system later, two users in a row, ends without an assistant', () => {
  const a = analyze(jsonl(
    chat(['user', 'Hi there'], ['system', 'Late system'], ['assistant', 'Hello you']),
    chat(['user', 'Hi there'], ['user', 'Again hi'], ['assistant', 'Hello you']),
    chat(['user', 'Hi there'], ['assistant', 'Hello you'], ['user', 'Bye now']),
    chat(['assistant', 'I start'], ['user', 'Hi there'], ['assistant', 'Hello you']),
  ));
  const msgs = ofRule(a, 'chat-role-order').map((f) => `${f.line}: ${f.message}`);
  assert.deepEqual(msgs, [
    '1: messages[1]: a system message must come first (found at position 1)',
    '2: messages[1]: two user turns in a row; user and assistant should alternate',
    '3: The conversation ends with a user turn: there is no assistant reply to learn from',
    '4: messages[0]: the conversation should start with a user turn, not assistant',
  ]);
});

test('chat-unknown-role and chat-empty-content', () => {
  const a = analyze(jsonl(chat(['user', 'Hi there'], ['bot', 'Hello you']), chat(['user', ''], ['assistant', 'Hello you'])));
  assert.deepEqual(ofRule(a, 'chat-unknown-role').map((f) => f.line), [1]);
  assert.deepEqual(ofRule(a, 'chat-empty-content').map((f) => f.line), [2]);
});

test('chat: tool calls with null content are fine', () => {
  const a = analyze(jsonl({ messages: [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: null, tool_calls: [{ id: '1', type: 'function', function: { name: 'w', arguments: '{}' } }] },
    { role: 'tool', content: '18C sunny' },
    { role: 'assistant', content: 'It is 18C and sunny.' },
  ] }));
  assert.deepEqual(a.findings.map((f) => f.rule), []);
});

test('sharegpt: roles are mapped and checked', () => {
  const a = analyze(jsonl({ conversations: [{ from: 'human', value: 'Hi there' }, { from: 'gpt', value: 'Hello you' }] }, { conversations: [{ from: 'human', value: 'Hi there' }, { from: 'robot', value: 'Beep' }] }));
  assert.equal(a.format, 'sharegpt');
  assert.deepEqual(a.findings.map((f) => [f.line, f.rule]), [[2, 'chat-unknown-role']]);
});

test('chat-unknown-role suggests the role meant, as a quick fix in the format\'s own names', () => {
  const a = analyze(jsonl({ messages: [{ role: 'user', content: 'Hi there' }, { role: 'bot', content: 'Hello you' }] }), 'd.jsonl', {}, true);
  const [f] = ofRule(a, 'chat-unknown-role');
  assert.match(f.message, /Unknown role "bot" in messages\[1\]; did you mean "assistant"\?/);
  assert.equal(f.fix?.title, 'Change the role to "assistant"');
  assert.equal(f.fix?.edits[0].newText, '"assistant"');
  const s = analyze(jsonl({ conversations: [{ from: 'human', value: 'Hi there' }, { from: 'Assistant', value: 'Hello you' }] }, { conversations: [{ from: 'human', value: 'Hi there' }, { from: 'bot', value: 'Hey' }] }), 'd.jsonl', {}, true);
  assert.deepEqual(ofRule(s, 'chat-unknown-role').map((x) => x.fix?.edits[0].newText), ['"gpt"', '"gpt"'], 'roles are case-sensitive: "Assistant" is unknown too');
  const none = analyze(jsonl({ messages: [{ role: 'user', content: 'Hi there' }, { role: 'narrator', content: 'Meanwhile' }] }), 'd.jsonl', {}, true);
  assert.equal(ofRule(none, 'chat-unknown-role')[0].fix, undefined);
});
