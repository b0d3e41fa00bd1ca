import { seededRandom, shuffle } from '../seededRandom';

/**
 * Stratified, seeded k-fold: each stratum's rows are shuffled with the seed and dealt round the folds,
 * the dealing carrying on from one stratum to the next so the folds also come out the same size
 * (within one row). Rows whose stratum is negative (unlabelled, left out) get fold -1.
 */
export function stratifiedFolds(strata: Int32Array, strataCount: number, folds: number, seed: number): Int8Array {
  const byStratum: number[][] = Array.from({ length: strataCount }, () => []);
  for (let i = 0; i < strata.length; i++) if (strata[i] >= 0) byStratum[strata[i]].push(i);
  const fold = new Int8Array(strata.length).fill(-1);
  const random = seededRandom(seed);
  let next = 0;
  for (const rows of byStratum) {
    shuffle(rows, random);
    for (const row of rows) {
      fold[row] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}

/**
 * The first `fraction` of each stratum's rows among `rows`, in a seeded order: a stratified sample
 * that grows by adding rows (the 50% sample holds the 25% one), so a learning curve's points differ
 * only by the data added.
 */
export function stratifiedPrefix(rows: readonly number[], strata: Int32Array, strataCount: number, fraction: number, seed: number): number[] {
  const byStratum: number[][] = Array.from({ length: strataCount }, () => []);
  for (const row of rows) byStratum[strata[row]].push(row);
  const random = seededRandom(seed);
  const out: number[] = [];
  for (const members of byStratum) {
    shuffle(members, random);
    const take = members.length === 0 ? 0 : Math.max(1, Math.round(members.length * fraction));
    for (let k = 0; k < take; k++) out.push(members[k]);
  }
  return out.sort((a, b) => a - b);
}
