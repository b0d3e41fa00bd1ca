import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineDocument, splitLines } from '../../server/src/lsp/document';

/** The server's line-array document must behave exactly as the library's TextDocument it replaces. */

const chunk = fc.array(fc.constantFrom('a', 'b', 'é', '😀', '{"x":1}', '\n', '\r\n', '\r', ' '), { maxLength: 12 }).map((a) => a.join(''));
// Lines are drawn past the end and folded into the document when applied: the library corrupts its line index on a line past the end (editors never send one).
const position = fc.record({ line: fc.integer({ min: 0, max: 12 }), character: fc.integer({ min: -1, max: 12 }) });
const change = fc.oneof(
  { weight: 9, arbitrary: fc.record({ range: fc.record({ start: position, end: position }), text: chunk }) },
  { weight: 1, arbitrary: fc.record({ text: chunk }) },
);

function same(mine: LineDocument, theirs: TextDocument): void {
  assert.equal(mine.getText(), theirs.getText());
  assert.equal(mine.lineCount, theirs.lineCount);
  assert.equal(mine.version, theirs.version);
  for (let line = -1; line <= theirs.lineCount; line++) {
    assert.deepEqual(mine.getLineRange(line), theirs.getLineRange(line), `line range ${line}`);
    assert.equal(mine.getEOLCharacters(line), theirs.getEOLCharacters(line), `line break ${line}`);
    for (let character = -1; character <= 14; character += 3) {
      const p = { line, character };
      assert.equal(mine.offsetAt(p), theirs.offsetAt(p), `offsetAt ${line}:${character}`);
      const r = { start: { line: 0, character: 2 }, end: p };
      assert.equal(mine.getText(r), theirs.getText(r), `getText to ${line}:${character}`);
    }
  }
  for (let offset = -1; offset <= theirs.getText().length + 1; offset++) assert.deepEqual(mine.positionAt(offset), theirs.positionAt(offset), `positionAt ${offset}`);
}

test('LineDocument agrees with TextDocument after any sequence of edits (\\n, \\r\\n and lone \\r line breaks)', () => {
  fc.assert(
    fc.property(chunk, fc.array(fc.array(change, { minLength: 1, maxLength: 3 }), { maxLength: 8 }), (text, edits) => {
      const mine = LineDocument.create('file:///a.jsonl', 'jsonl', 1, text);
      const theirs = TextDocument.create('file:///a.jsonl', 'jsonl', 1, text);
      same(mine, theirs);
      let version = 1;
      for (const changes of edits) {
        version++;
        // The library's document takes the changes one by one, each folded into the text as it is then; ours takes them together.
        const folded = changes.map((c) => {
          const fold = (p: { line: number; character: number }) => ({ line: p.line % theirs.lineCount, character: p.character });
          const f = 'range' in c ? { range: { start: fold(c.range.start), end: fold(c.range.end) }, text: c.text } : c;
          TextDocument.update(theirs, [f], version);
          return f;
        });
        LineDocument.update(mine, folded, version);
        same(mine, theirs);
      }
    }),
    { numRuns: 2000 },
  );
});

test('splitLines keeps each line break with its line; the last line has none', () => {
  assert.deepEqual(splitLines(''), ['']);
  assert.deepEqual(splitLines('a\nb\n'), ['a\n', 'b\n', '']);
  assert.deepEqual(splitLines('a\r\nb\rc\n\r'), ['a\r\n', 'b\r', 'c\n', '\r', '']);
  assert.equal(splitLines('x\ny\r\nz').join(''), 'x\ny\r\nz');
});

test('sameLines tells whether the document is lines joined with \\n, lone \\r and \\r\\n included', () => {
  const piece = fc.constantFrom('a', 'bc', '\n', '\r', '\r\n', '{"x":1}');
  fc.assert(fc.property(fc.array(piece, { maxLength: 30 }), fc.array(piece, { maxLength: 30 }), (a, b) => {
    const doc = new LineDocument('file:///d.jsonl', 'jsonl', 1, a.join(''));
    const loneCr = /\r(?!\n)/.test(a.join(''));
    assert.equal(doc.sameLines(a.join('').split('\n')), !loneCr);
    assert.equal(doc.sameLines(b.join('').split('\n')), a.join('') === b.join('') && !loneCr);
  }));
  assert.ok(new LineDocument('file:///d.jsonl', 'jsonl', 1, 'x\r\ny\n').sameLines(['x\r', 'y', '']));
});
