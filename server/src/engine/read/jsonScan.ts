/**
 * A tiny JSON scanner over raw row text, used only for rows that have a finding: it finds where a
 * field's value sits in the source so diagnostics can point at the value, not the whole line.
 */

export type JsonPath = (string | number)[];

export interface ValueSpan {
  /** Offsets into the scanned text, end exclusive. For strings the span includes the quotes. */
  start: number;
  end: number;
}

function skipWs(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else break;
  }
  return i;
}

function skipString(s: string, i: number): number {
  // s[i] is the opening quote. The closing one is the first quote after it not escaped, that is with an
  // even run of backslashes before it (each pair is one escaped backslash): found with indexOf, which
  // passes a 50 KB text at native speed where a loop over its characters took a second of a 1M-row check.
  const from = i + 1;
  for (let at = from; ; ) {
    const q = s.indexOf('"', at);
    if (q < 0) return s.length;
    let b = q - 1;
    while (b >= from && s.charCodeAt(b) === 92) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    at = q + 1;
  }
}

/** End offset of the JSON value starting at i (tolerant: stops at the end of text). */
export function skipValue(s: string, i: number): number {
  i = skipWs(s, i);
  const c = s.charCodeAt(i);
  if (c === 34) return skipString(s, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    while (i < s.length) {
      const d = s.charCodeAt(i);
      if (d === 34) { i = skipString(s, i); continue; }
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) { depth--; if (depth === 0) return i + 1; }
      i++;
    }
    return s.length;
  }
  while (i < s.length) {
    const d = s.charCodeAt(i);
    if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
    i++;
  }
  return i;
}

/**
 * Whether the JSON string s[start, end) (quotes included) is `key`; undefined when it is not a valid
 * JSON string. A key without escapes (nearly all) is compared in place, without decoding it.
 */
function keyMatches(s: string, start: number, end: number, key: string): boolean | undefined {
  if (end - start >= 2 && s.charCodeAt(end - 1) === 34) {
    let plain = true;
    for (let k = start + 1; k < end - 1 && plain; k++) {
      const c = s.charCodeAt(k);
      plain = c !== 92 && c >= 32;
    }
    if (plain) return end - start - 2 === key.length && s.startsWith(key, start + 1);
  }
  try {
    return JSON.parse(s.slice(start, end)) === key;
  } catch {
    return undefined;
  }
}

/** Finds the span of the value at `path` in the JSON text starting at `from` (of duplicate keys, the last: the one JSON.parse reads). */
export function locateJsonValue(s: string, path: JsonPath, from = 0): ValueSpan | undefined {
  let i = skipWs(s, from);
  for (const key of path) {
    const c = s.charCodeAt(i);
    if (typeof key === 'string') {
      if (c !== 123) return undefined;
      i = skipWs(s, i + 1);
      // The last of duplicate keys: the value JSON.parse (and so every rule) reads.
      let found = -1;
      while (i < s.length && s.charCodeAt(i) === 34) {
        const keyEnd = skipString(s, i);
        const matches = keyMatches(s, i, keyEnd, key);
        if (matches === undefined) return undefined;
        i = skipWs(s, keyEnd);
        if (s.charCodeAt(i) !== 58) return undefined;
        i = skipWs(s, i + 1);
        if (matches) found = i;
        i = skipWs(s, skipValue(s, i));
        if (s.charCodeAt(i) === 44) i = skipWs(s, i + 1);
        else break;
      }
      if (found < 0) return undefined;
      i = found;
    } else {
      if (c !== 91) return undefined;
      i = skipWs(s, i + 1);
      for (let k = 0; k < key; k++) {
        i = skipWs(s, skipValue(s, i));
        if (s.charCodeAt(i) !== 44) return undefined;
        i = skipWs(s, i + 1);
      }
    }
  }
  return { start: i, end: skipValue(s, i) };
}

/**
 * Maps an index into a decoded JSON string to an index into its raw source text, where `start`
 * is the offset of the opening quote. Escapes such as \n or \u00e9 are one decoded unit each.
 */
export function rawIndexInJsonString(s: string, start: number, decodedIndex: number): number {
  let i = start + 1;
  let d = 0;
  while (d < decodedIndex && i < s.length) {
    if (s.charCodeAt(i) === 92) i += s.charCodeAt(i + 1) === 117 ? 6 : 2;
    else i++;
    d++;
  }
  return i;
}

/** Offsets (start, end exclusive) of each top-level element of a JSON array text. */
export function arrayElementSpans(s: string): ValueSpan[] {
  const spans: ValueSpan[] = [];
  let i = skipWs(s, 0);
  if (s.charCodeAt(i) !== 91) return spans;
  i = skipWs(s, i + 1);
  while (i < s.length && s.charCodeAt(i) !== 93) {
    const end = skipValue(s, i);
    spans.push({ start: i, end });
    i = skipWs(s, end);
    if (s.charCodeAt(i) === 44) i = skipWs(s, i + 1);
    else break;
  }
  return spans;
}
