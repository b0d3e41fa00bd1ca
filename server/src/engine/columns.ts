/** Typed arrays used as columns: one entry per row (or per line), grown and spliced by copying. */
export type Column = Int32Array | Float64Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * A copy of `a` with the `removed` entries at `at` replaced by `inserted` zeros; at the end of the
 * array (`at` = its length, nothing removed) it is the array grown by `inserted` entries.
 */
export function spliced<T extends Column>(a: T, at: number, removed: number, inserted: number): T {
  const b = new (a.constructor as new (length: number) => T)(a.length - removed + inserted);
  b.set(a.subarray(0, at));
  b.set(a.subarray(at + removed), at + inserted);
  return b;
}
