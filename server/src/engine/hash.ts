/** murmur3's 32-bit finaliser: spreads every input bit over the whole word (returned as a signed int32; `>>> 0` for unsigned). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
