/**
 * Rows with a hash seen before, found through an open-addressing table of row numbers (plus one:
 * zero is an empty slot, so the table needs no filling) over the hash column itself. A JS Map of a
 * million number keys costs several times more, and a table that kept the hashes too would be three
 * times the memory, each fresh page of which costs ~10 µs on this project's VM.
 *
 * Calls `repeat(first, row)` for each row whose hash an earlier row has, with the first such row;
 * rows whose hash is NaN are left out.
 */
export function forEachRepeat(hashes: ArrayLike<number>, count: number, repeat: (first: number, row: number) => void): void {
  let capacity = 16;
  while (capacity < count * 2) capacity *= 2;
  const mask = capacity - 1;
  const table = new Int32Array(capacity);
  for (let i = 0; i < count; i++) {
    const h = hashes[i];
    if (Number.isNaN(h)) continue;
    let slot = (h >>> 0) & mask;
    let r: number;
    while ((r = table[slot]) !== 0 && hashes[r - 1] !== h) slot = (slot + 1) & mask;
    if (r === 0) table[slot] = i + 1;
    else repeat(r - 1, i);
  }
}
