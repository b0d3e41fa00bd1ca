import { unpackPair } from './lsh';

/**
 * Near-duplicate clusters without chaining. Rows are taken in file order; a row joins the cluster of
 * an earlier row only when that row is a cluster's first row (its representative) and their verified
 * Jaccard similarity reaches the threshold. So A~B and B~C with A≁C never glue C to A: B is a member,
 * not a representative, and C is compared with A itself.
 */

export interface Clustering {
  /** Per row: the representative of its cluster (itself for representatives), or -1 when in no cluster. */
  rep: Int32Array;
  /** Per member: its verified similarity to the representative (0 for representatives and loners). */
  similarity: Float64Array;
}

/**
 * Clusters rows from candidate pairs (packed and sorted as `candidatePairs` returns them), calling
 * `similarity(representative, row)` for the exact Jaccard of each candidate worth checking. A row
 * joins the most similar qualifying representative (the earliest on a tie).
 */
export function clusterRows(n: number, pairs: Float64Array, similarity: (a: number, b: number) => number, threshold: number): Clustering {
  const rep = new Int32Array(n).fill(-1);
  const sim = new Float64Array(n);
  let i = 0;
  while (i < pairs.length) {
    const { hi } = unpackPair(pairs[i], n);
    let best = -1;
    let bestSim = 0;
    for (; i < pairs.length; i++) {
      const pair = unpackPair(pairs[i], n);
      if (pair.hi !== hi) break;
      const lo = pair.lo;
      // Members of a cluster are never representatives; everything before `hi` is already settled.
      if (rep[lo] >= 0 && rep[lo] !== lo) continue;
      const s = similarity(lo, hi);
      if (s >= threshold && s > bestSim) {
        best = lo;
        bestSim = s;
      }
    }
    if (best >= 0) {
      rep[best] = best;
      rep[hi] = best;
      sim[hi] = bestSim;
    }
  }
  return { rep, similarity: sim };
}
