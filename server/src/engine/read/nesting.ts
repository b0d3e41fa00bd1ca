/**
 * How deep a row nests arrays and objects in one another. JSON.parse reads any depth (V8 parses
 * iteratively), but JSON.stringify, structured cloning and every recursive walk overflow the stack
 * a few thousand levels down: a row nested deeper than MAX_NESTING is reported as too-deep and
 * takes part in no other rule, so nothing after the reader ever meets such a value. Both walks
 * here are loops, not recursion, for the same reason.
 */

/** Levels of arrays and objects a row may nest (the row itself is level 1); real rows use a handful. */
export const MAX_NESTING = 64;

/** The walk's stack: values still to look into, each followed by its level; kept between rows to spare the allocator. */
const pending: unknown[] = [];

/** Whether a parsed JSON value nests arrays and objects more than `limit` levels deep. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  // Most rows hold only strings and numbers: a look at their members settles it without the stack.
  if (typeof value !== 'object' || value === null || !holdsContainer(value)) return false;
  pending.push(value, 1);
  let deeper = false;
  while (pending.length > 0 && !deeper) {
    const level = pending.pop() as number;
    const v = pending.pop() as Record<string, unknown>;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && !deeper; i++) deeper = queued(v[i], level, limit);
    } else {
      for (const key in v) if ((deeper = queued(v[key], level, limit))) break;
    }
  }
  // The stack must not keep the row's values alive after the walk, nor carry one walk into the next.
  pending.length = 0;
  return deeper;
}

/** Whether an array or object has an array or object among its members. */
function holdsContainer(value: object): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (typeof value[i] === 'object' && value[i] !== null) return true;
    return false;
  }
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    if (typeof member === 'object' && member !== null) return true;
  }
  return false;
}

/** Queues a member that is itself an array or object; true when that takes it past the limit. */
function queued(member: unknown, level: number, limit: number): boolean {
  if (typeof member !== 'object' || member === null) return false;
  if (level >= limit) return true;
  pending.push(member, level + 1);
  return false;
}

/** How deep a JSON text nests, and the offset of the bracket that first goes past `limit` levels (-1 if none). */
export function nestingOfText(text: string, limit: number): { depth: number; past: number } {
  let depth = 0;
  let deepest = 0;
  let past = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = stringEnd(text, i);
    else if (c === 91 || c === 123) {
      if (++depth > deepest) deepest = depth;
      if (depth > limit && past < 0) past = i;
    } else if (c === 93 || c === 125) depth--;
  }
  return { depth: deepest, past };
}

/** The offset of the closing quote of the JSON string whose opening quote is at `i`. */
function stringEnd(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return text.length;
}
