/**
 * What the privacy finders return: where a piece of personal data or a credential is in a text and
 * what kind it is, in words fit for a message ("an AWS access key id"). Never the value itself:
 * findings name the kind, so no output carries the secret they warn about.
 */
export interface Found {
  start: number;
  end: number;
  what: string;
}

/** Every match of a global regex that `accept` keeps, as Found spans of the kind `what`. */
export function eachMatch(re: RegExp, text: string, what: string, accept: (m: RegExpExecArray) => boolean = () => true): Found[] {
  const out: Found[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) if (accept(m)) out.push({ start: m.index, end: m.index + m[0].length, what });
  return out;
}

/** Whether two spans share a character. */
export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Spans in text order, each overlapping an earlier (or at the same place, longer) one left out. */
export function withoutOverlaps(found: Found[]): Found[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Found[] = [];
  for (const f of found) if (!out.length || !overlaps(out[out.length - 1], f)) out.push(f);
  return out;
}

/** The words just before an offset (up to `chars` characters), lower-cased, to read a match's context. */
export function before(text: string, at: number, chars: number): string {
  return text.slice(Math.max(0, at - chars), at).toLowerCase();
}
