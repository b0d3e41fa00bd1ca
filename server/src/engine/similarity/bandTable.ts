/**
 * Band tables: for each LSH band, the (key, row) entries of every sketched row, partitioned by the
 * key's top 8 bits (rows ascending within a partition). The per-row pass builds its own table (on
 * its worker thread for big files) with one counting pass and one scatter pass per band; the
 * file-level step then finds equal keys partition by partition, where a small hash table stays in
 * the L1 cache (`candidatePairs` in lsh.ts). A full sort would cost several passes more for nothing:
 * only equal keys matter, not their order. Typed arrays throughout: a million rows × 16 bands is
 * 16 million entries.
 */

/** Partitions per band: the key's top 8 bits. */
export const PARTITIONS = 4096;

export interface BandTable {
  /** Keys (as signed 32-bit values) and rows of the entries, band after band, partition after partition. */
  keys: Int32Array;
  rows: Int32Array;
  /** Band t, partition p holds entries [starts[t × 257 + p], starts[t × 257 + p + 1]). */
  starts: Int32Array;
  /** Added to `rows` to number them in the whole file (a shard's first row). */
  offset: number;
}

/**
 * The band table of `count` rows from their keys by band (`columns[t][row]`); rows whose key is 0
 * have no sketch and are left out.
 */
export function buildBandTable(columns: Uint32Array[], count: number, offset = 0): BandTable {
  const bandCount = columns.length;
  const first = bandCount ? columns[0] : new Uint32Array(0);
  let m = 0;
  for (let i = 0; i < count; i++) if (first[i] !== 0) m++;
  const keys = new Int32Array(m * bandCount);
  const rows = new Int32Array(m * bandCount);
  const starts = new Int32Array(bandCount * (PARTITIONS + 1));
  const fill = new Int32Array(PARTITIONS);
  for (let t = 0; t < bandCount; t++) {
    const column = columns[t];
    const base = t * m;
    fill.fill(0);
    for (let i = 0; i < count; i++) if (first[i] !== 0) fill[column[i] >>> 20]++;
    let at = base;
    for (let p = 0; p < PARTITIONS; p++) {
      starts[t * (PARTITIONS + 1) + p] = at;
      const size = fill[p];
      fill[p] = at;
      at += size;
    }
    starts[t * (PARTITIONS + 1) + PARTITIONS] = at;
    for (let i = 0; i < count; i++) {
      const key = column[i];
      if (first[i] === 0) continue;
      const slot = fill[key >>> 20]++;
      keys[slot] = key | 0;
      rows[slot] = i;
    }
  }
  return { keys, rows, starts, offset };
}

/** Band-major columns (`columns[t][row]`) of row-major band keys (row × bandCount + band). */
export function bandColumns(bands: Uint32Array, bandCount: number, count: number): Uint32Array[] {
  const columns = Array.from({ length: bandCount }, () => new Uint32Array(count));
  for (let i = 0; i < count; i++) for (let t = 0; t < bandCount; t++) columns[t][i] = bands[i * bandCount + t];
  return columns;
}

/** The band keys by row again (row × bandCount + band, 0 for rows without a sketch), for `count` rows in all. */
export function bandsByRow(tables: BandTable[], bandCount: number, count: number): Uint32Array {
  const out = new Uint32Array(count * bandCount);
  for (const { keys, rows, starts, offset } of tables) {
    for (let t = 0; t < bandCount; t++) {
      const end = starts[t * (PARTITIONS + 1) + PARTITIONS];
      for (let i = starts[t * (PARTITIONS + 1)]; i < end; i++) out[(rows[i] + offset) * bandCount + t] = keys[i] >>> 0;
    }
  }
  return out;
}
