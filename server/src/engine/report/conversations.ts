import type { Detection } from '../analysis/detection';
import { containerOfPath, openReader, type CsvHeaderOptions } from '../read';
import type { ByteSource } from '../read/source';
import { extractRow } from '../schema/extract';
import type { ContainerKind } from '../types';

/**
 * What a chat dataset's report shows where a classification dataset's shows labels: the messages of
 * each role and their length, and how many messages a conversation has.
 */

export interface ConversationStats {
  conversations: number;
  /** Per role (system, user, assistant, tool…), most messages first. */
  roles: { role: string; messages: number; share: number; medianChars: number; conversationsWith: number }[];
  /** Messages per conversation: the spread, and conversations per count (counts over 10 together as 11). */
  turns: { min: number; median: number; max: number; counts: { turns: number; conversations: number }[] };
}

const CHAT_FORMATS = new Set(['chat', 'sharegpt']);

/** The roles and turns of a chat (or ShareGPT) file's conversations; undefined for other formats. */
export function conversationStats(path: string, input: Uint8Array | ByteSource, detection: Detection & { container?: ContainerKind }, csv: CsvHeaderOptions = {}): ConversationStats | undefined {
  if (!CHAT_FORMATS.has(detection.format)) return undefined;
  const lengths = new Map<string, number[]>();
  const withRole = new Map<string, number>();
  const turns: number[] = [];
  for (const row of openReader(path, input, containerOfPath(path) ?? detection.container, csv).rows()) {
    if (row.problem || row.value === null || typeof row.value !== 'object' || Array.isArray(row.value)) continue;
    const { parts } = extractRow(row.value as Record<string, unknown>, detection.format, detection.fields);
    turns.push(parts.length);
    const seen = new Set<string>();
    for (const p of parts) {
      const role = /\(([^()]*)\)$/.exec(p.name)?.[1] ?? p.kind;
      const list = lengths.get(role);
      if (list) list.push(p.text.length);
      else lengths.set(role, [p.text.length]);
      seen.add(role);
    }
    for (const role of seen) withRole.set(role, (withRole.get(role) ?? 0) + 1);
  }
  const messages = turns.reduce((a, b) => a + b, 0);
  const roles = [...lengths].map(([role, list]) => ({
    role, messages: list.length, share: messages ? list.length / messages : 0, medianChars: median(list), conversationsWith: withRole.get(role) ?? 0,
  })).sort((a, b) => b.messages - a.messages || a.role.localeCompare(b.role));
  const byCount = new Map<number, number>();
  for (const t of turns) byCount.set(Math.min(t, 11), (byCount.get(Math.min(t, 11)) ?? 0) + 1);
  return {
    conversations: turns.length,
    roles,
    turns: {
      min: turns.length ? Math.min(...turns) : 0,
      median: median(turns),
      max: turns.reduce((a, b) => Math.max(a, b), 0),
      counts: [...byCount].map(([t, conversations]) => ({ turns: t, conversations })).sort((a, b) => a.turns - b.turns),
    },
  };
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
}

/** The report with its conversations section (left as it was when there is none to add). */
export function withConversations<R extends { conversations?: ConversationStats }>(report: R, conversations: ConversationStats | undefined): R {
  return conversations ? { ...report, conversations } : report;
}
