import { decodeText } from './decode';
import { locateInJsonRow, parseJsonRow } from './jsonl';
import { arrayElementSpans } from './jsonScan';
import type { DatasetReader, SourceRow } from './row';

/** Reads a .json file whose top level is an array of objects (Alpaca style); each element is a row. */
export function jsonArrayReader(bytes: Uint8Array): DatasetReader {
  const decoded = decodeText(bytes);
  const text = decoded.text;
  const cached: SourceRow[] = [];
  let parsed = false;
  const reader: DatasetReader = {
    container: 'json',
    invalidUtf8: decoded.invalid,
    rows() {
      if (!parsed) {
        cached.push(...elements());
        parsed = true;
      }
      return cached;
    },
    row: (index) => cached[index],
    locate: locateInJsonRow,
  };
  // Elements are parsed one by one, so one broken element costs that row only, not the file.
  function* elements(): Generator<SourceRow> {
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const at = (offset: number) => {
      const line = upperBound(lineStarts, offset);
      return { line, column: offset - lineStarts[line - 1] + 1 };
    };
    if (!/^\s*\[/.test(text)) {
      yield { index: 0, line: 1, column: 1, text, value: undefined, problem: { rule: 'not-an-object', message: 'A .json dataset must be an array of objects', start: 0, end: 1 } };
      return;
    }
    let index = 0;
    let last = 0;
    for (const span of arrayElementSpans(text)) {
      const { line, column } = at(span.start);
      last = span.end;
      yield parseJsonRow(text.slice(span.start, span.end), index++, line, column);
    }
    const rest = text.slice(last).trim();
    if (!/^,?\s*\]$/.test(rest)) {
      const offset = last + text.slice(last).search(/\S|$/);
      const { line, column } = at(offset);
      const snippet = text.slice(offset, text.indexOf('\n', offset) < 0 ? undefined : text.indexOf('\n', offset));
      yield {
        index: index++, line, column, text: snippet, value: undefined,
        problem: { rule: 'invalid-json', message: rest ? 'Invalid JSON: unexpected text after an array element' : 'Invalid JSON: the array is never closed with ]', start: 0, end: Math.max(1, snippet.length) },
      };
    }
  }
  return reader;
}

/** 1-based line of an offset, given the sorted offsets where lines start. */
function upperBound(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when a JSON text's top level is an array whose first element is an object. */
export function looksLikeJsonArrayOfObjects(head: string): boolean {
  return /^\uFEFF?\s*\[\s*(\{|\])/.test(head);
}
