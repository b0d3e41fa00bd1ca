/**
 * Globs of `files.exclude` and `tuneset.exclude` (`**`, `*`, `?`, `{a,b}`, `[abc]`, `[!a-z]`) matched
 * against '/'-separated relative paths in time proportional to the path's length times the glob's,
 * whatever the glob: no regular expression, so no backtracking. A glob turned into a regular
 * expression made `*a*a*a*a*a*a*a*a*a*a*.zz` take 15 s against one path, and the libraries that
 * compile globs to regular expressions (picomatch) do the same.
 *
 * Matching is done twice the same way: within a path segment, `*` is the star over characters; over
 * the segments, a `**` segment is the star over segments. Every other piece matches exactly one
 * character (or one segment), and for such patterns going back only to the last star is enough: the
 * classic wildcard algorithm, O(text × pattern) at worst.
 */

/** What an exclude glob is for the server: a test of a relative path (a RegExp would fit too). */
export interface GlobMatcher {
  test(relativePath: string): boolean;
}

/** A glob that cannot be used, and why (shown in the settings warning). */
export class GlobError extends Error {}

/** At most this many alternatives once the braces are expanded: `{a,b}` twenty times over would be a million. */
const MAX_ALTERNATIVES = 1000;

/** One character of a segment: a literal, `?`, or a class; or `*`, any run of characters. */
type CharPiece = { kind: 'char'; c: string } | { kind: 'any' } | { kind: 'class'; negated: boolean; ranges: [string, string][] } | { kind: 'star' };

/** One segment of a glob: characters to match in one path segment, or `**`, any number of segments. */
type SegmentPiece = { kind: 'segment'; pieces: CharPiece[] } | { kind: 'star' };

/** Compiles a glob; throws a GlobError for one that cannot be used (a range such as `[z-a]`, too many alternatives). */
export function compileGlob(glob: string): GlobMatcher {
  const alternatives = expandBraces(glob).map((alternative) => {
    const pattern = parseSegments(alternative);
    return { pattern, ending: literalEnding(pattern) };
  });
  return {
    test: (relativePath: string) => {
      const names = relativePath.split('/');
      const last = names[names.length - 1];
      // Most paths fail on their last name's ending (`**/*.csv` against `a.jsonl`): that is told without matching.
      const candidates = alternatives.filter((a) => last.endsWith(a.ending));
      if (!candidates.length) return false;
      // Split into characters once (by code point, so `?` takes a whole emoji), for every alternative.
      const segments = names.map((name) => Array.from(name));
      return candidates.some((a) => matchStars(a.pattern, segments, matchSegment));
    },
  };
}

/**
 * The plain characters a path's last name must end with for the pattern to match it: those after the
 * last wildcard of the pattern's last segment ("" when the pattern ends with `**` or a wildcard).
 */
function literalEnding(pattern: SegmentPiece[]): string {
  const last = pattern[pattern.length - 1];
  if (!last || last.kind === 'star') return '';
  let ending = '';
  for (let i = last.pieces.length - 1; i >= 0; i--) {
    const piece = last.pieces[i];
    if (piece.kind !== 'char') break;
    ending = piece.c + ending;
  }
  return ending;
}

/** Why a glob cannot be used, or undefined when it can. */
export function globProblem(glob: string): string | undefined {
  try {
    compileGlob(glob);
    return undefined;
  } catch (e) {
    if (e instanceof GlobError) return e.message;
    throw e;
  }
}

/**
 * The globs without braces that a glob stands for: `a.{csv,tsv}` is `a.csv` and `a.tsv`. Braces may
 * nest; an unclosed brace is a plain character (as it always was here).
 */
function expandBraces(glob: string): string[] {
  const open = glob.indexOf('{');
  if (open < 0) return [glob];
  const close = matchingBrace(glob, open);
  if (close < 0) return expandBraces(glob.slice(open + 1)).map((rest) => glob.slice(0, open + 1) + rest);
  const head = glob.slice(0, open);
  const tails = expandBraces(glob.slice(close + 1));
  const out: string[] = [];
  for (const option of splitOptions(glob.slice(open + 1, close))) {
    for (const middle of expandBraces(option)) {
      for (const tail of tails) {
        out.push(head + middle + tail);
        if (out.length > MAX_ALTERNATIVES) throw new GlobError(`its braces stand for more than ${MAX_ALTERNATIVES} globs`);
      }
    }
  }
  return out;
}

/** The index of the brace closing the one at `open`, or -1 when it is never closed. */
function matchingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The comma-separated options of a brace's content, commas inside nested braces kept. */
function splitOptions(content: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < content.length; i++) {
    if (content[i] === '{') depth++;
    else if (content[i] === '}') depth--;
    else if (content[i] === ',' && depth === 0) {
      out.push(content.slice(start, i));
      start = i + 1;
    }
  }
  out.push(content.slice(start));
  return out;
}

/** A brace-free glob as its segments; `./` in front and `/` at the end say nothing more. */
function parseSegments(glob: string): SegmentPiece[] {
  const trimmed = glob.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const out: SegmentPiece[] = [];
  for (const segment of trimmed.split('/')) {
    // Two `**` in a row are one; `**` inside a segment (`a**b`) is a plain `*`.
    if (segment === '**') {
      if (out[out.length - 1]?.kind !== 'star') out.push({ kind: 'star' });
    } else out.push({ kind: 'segment', pieces: parseCharacters(segment) });
  }
  return out;
}

function parseCharacters(segment: string): CharPiece[] {
  const chars = Array.from(segment);
  const out: CharPiece[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '*') {
      if (out[out.length - 1]?.kind !== 'star') out.push({ kind: 'star' });
    } else if (c === '?') out.push({ kind: 'any' });
    else if (c === '[') {
      const parsed = parseClass(chars, i);
      if (parsed) {
        out.push(parsed.piece);
        i = parsed.end;
      } else out.push({ kind: 'char', c });
    } else out.push({ kind: 'char', c });
  }
  return out;
}

/**
 * A class `[abc]`, `[a-z]`, `[!0-9]` or `[^0-9]` starting at `open`, with the index of its `]`;
 * undefined when it is never closed (then `[` is a plain character). A `]` first in the class is one of
 * its characters. A range whose ends are the wrong way round (`[z-a]`) is a GlobError.
 */
function parseClass(chars: string[], open: number): { piece: CharPiece; end: number } | undefined {
  let i = open + 1;
  const negated = chars[i] === '!' || chars[i] === '^';
  if (negated) i++;
  const first = i;
  const ranges: [string, string][] = [];
  for (; i < chars.length; i++) {
    const c = chars[i];
    if (c === ']' && i > first) return { piece: { kind: 'class', negated, ranges }, end: i };
    if (chars[i + 1] === '-' && chars[i + 2] !== undefined && chars[i + 2] !== ']') {
      const to = chars[i + 2];
      if (to.codePointAt(0)! < c.codePointAt(0)!) throw new GlobError(`the range ${c}-${to} is out of order`);
      ranges.push([c, to]);
      i += 2;
    } else ranges.push([c, c]);
  }
  return undefined;
}

function matchCharacter(piece: Exclude<CharPiece, { kind: 'star' }>, c: string): boolean {
  if (c === '/') return false;
  if (piece.kind === 'char') return piece.c === c;
  if (piece.kind === 'any') return true;
  const code = c.codePointAt(0)!;
  const inside = piece.ranges.some(([from, to]) => code >= from.codePointAt(0)! && code <= to.codePointAt(0)!);
  return inside !== piece.negated;
}

function matchSegment(piece: Exclude<SegmentPiece, { kind: 'star' }>, segment: string[]): boolean {
  return matchStars(piece.pieces, segment, matchCharacter);
}

/**
 * The classic wildcard match of a pattern against a sequence (of characters, or of segments): a star
 * takes any run of items, every other piece exactly one. On a mismatch, only the last star takes one
 * item more; earlier stars never need to, since the last one can stand in for any longer choice of theirs.
 */
function matchStars<P extends { kind: string }, T>(pattern: P[], items: T[], matchOne: (piece: Exclude<P, { kind: 'star' }>, item: T) => boolean): boolean {
  let p = 0;
  let i = 0;
  let star = -1;
  let starItem = 0;
  while (i < items.length) {
    if (p < pattern.length && pattern[p].kind === 'star') {
      star = p++;
      starItem = i;
    } else if (p < pattern.length && matchOne(pattern[p] as Exclude<P, { kind: 'star' }>, items[i])) {
      p++;
      i++;
    } else if (star >= 0) {
      p = star + 1;
      i = ++starItem;
    } else return false;
  }
  while (p < pattern.length && pattern[p].kind === 'star') p++;
  return p === pattern.length;
}
