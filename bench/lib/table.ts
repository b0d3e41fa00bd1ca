/** Plain-text table and number formatting for benchmark output. */

export type Cell = string | number | null | undefined;

export interface TableOptions {
  /** Per-column alignment; default: right for numbers, left otherwise. */
  align?: ("l" | "r")[];
  indent?: number;
}

export function formatTable(headers: string[], rows: Cell[][], opts: TableOptions = {}): string {
  const text = rows.map((r) => r.map((c) => (c === null || c === undefined ? "–" : typeof c === "number" ? fmtNum(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? "").length)));
  const align = headers.map((_, i) => opts.align?.[i] ?? (rows.some((r) => typeof r[i] === "number") ? "r" : "l"));
  const pad = " ".repeat(opts.indent ?? 2);
  const line = (cells: string[]) =>
    pad +
    cells
      .map((c, i) => (align[i] === "r" ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "─".repeat(w))), ...text.map(line)].join("\n");
}

/** Thousands separators for integers, sensible precision for fractions. */
export function fmtNum(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  const a = Math.abs(n);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function pct(x: number | null): string {
  return x === null ? "–" : `${(x * 100).toFixed(1)}%`;
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
