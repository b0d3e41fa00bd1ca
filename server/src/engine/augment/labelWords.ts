import { splitWords } from './words';

/**
 * Words a label depends on, learned from the file itself: a word that mostly occurs in one label's
 * rows ("refund" in billing tickets, "great" in positive reviews) is what tells that label apart,
 * and replacing or deleting it would leave a row that no longer says what its label claims. A word
 * counts for a label when it appears in at least MIN_ROWS of the label's rows and the label's share
 * of the rows holding it is well above the label's share of the file. Polar words (a sentiment
 * lexicon the host passes) count for every label: "good movie" must not become "movie".
 */

/** Rows of a label a word must appear in before it can count as the label's word. */
const MIN_ROWS = 2;
/** Rows counted in full before the lexicon samples. */
const SAMPLE = 20_000;
/** Labels above this many are not a classification the lexicon helps with (free-text targets). */
const MAX_LABELS = 200;

export class LabelLexicon {
  /** word → rows holding it per label id (a small array per word). */
  private readonly counts = new Map<string, Int32Array>();
  private readonly rowsPerLabel: number[] = [];
  private total = 0;
  private words: Map<number, ReadonlySet<string>> | undefined;
  private readonly seen = new Set<string>();

  constructor(private readonly polar: ReadonlySet<string> = new Set()) {}

  private offered = 0;

  /**
   * Counts the distinct words of one labelled row's text. Past SAMPLE rows, one row in k is counted
   * (k growing with the rows seen): the shares settle long before, and counting every word of a
   * million rows would cost more than the augmentation.
   */
  add(labelId: number, text: string): void {
    if (labelId >= MAX_LABELS) return;
    const n = this.offered++;
    if (n >= SAMPLE && n % Math.ceil(n / SAMPLE) !== 0) return;
    while (this.rowsPerLabel.length <= labelId) this.rowsPerLabel.push(0);
    this.rowsPerLabel[labelId]++;
    this.total++;
    const seen = this.seen;
    seen.clear();
    for (const w of splitWords(text).words) {
      const lower = w.toLowerCase();
      if (seen.has(lower)) continue;
      seen.add(lower);
      let c = this.counts.get(lower);
      if (!c || c.length <= labelId) {
        const grown = new Int32Array(Math.max(labelId + 1, 4));
        if (c) grown.set(c);
        this.counts.set(lower, (c = grown));
      }
      c[labelId]++;
    }
  }

  /** Whether `lower` is a word label `labelId` depends on. */
  has(labelId: number, lower: string): boolean {
    if (this.polar.has(lower)) return true;
    return this.wordsOf(labelId).has(lower);
  }

  private wordsOf(labelId: number): ReadonlySet<string> {
    if (!this.words) this.words = this.build();
    return this.words.get(labelId) ?? EMPTY;
  }

  /** Each label's words, worked out once all rows are counted. */
  private build(): Map<number, ReadonlySet<string>> {
    const out = new Map<number, Set<string>>();
    if (this.rowsPerLabel.length < 2) return out;
    for (const [word, c] of this.counts) {
      let all = 0;
      for (let l = 0; l < c.length; l++) all += c[l];
      for (let l = 0; l < c.length; l++) {
        if (c[l] < MIN_ROWS) continue;
        const base = this.rowsPerLabel[l] / this.total;
        // Halfway from the label's base rate to always; at least three in four.
        if (c[l] / all >= Math.max(0.75, base + (1 - base) / 2)) {
          let set = out.get(l);
          if (!set) out.set(l, (set = new Set()));
          set.add(word);
        }
      }
    }
    this.counts.clear();
    return out;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
