import type { Config } from '../config';
import type { TextPart } from '../schema/extract';
import { WORDS, type KeyProfile } from '../text/profile';
import { bandLayout } from './lsh';
import { Sketcher } from './minhash';
import { appendWordHashes, charShingleHashes, comparesPart, HashList, prefersCharShingles, wordShingleHashes } from './shingles';

/** True when a rule that needs near-duplicate sketches is on (near-duplicate, conflicting-labels, cross-file-leak). */
export function sketchesNeeded(config: Config): boolean {
  return (['near-duplicate', 'conflicting-labels', 'cross-file-leak'] as const).some((rule) => config.rules[rule] !== 'off');
}

/**
 * The near-duplicate sketch of one row at a time, fed the row's texts as the per-row pass profiles
 * them: the word hashes of the profile are reused, so a row costs one hash per shingle plus the
 * band keys. The keys land in `keys` (valid until the next row).
 */
export class RowSketcher {
  readonly bandsPerRow: number;
  readonly keys: Uint32Array;
  private readonly sketcher: Sketcher;
  private readonly words = new HashList();
  private readonly shingles = new HashList();
  private readonly texts: string[] = [];
  /** Han/Kana characters and letters of the row's compared texts (see prefersCharShingles). */
  private cjk = 0;
  private letters = 0;
  private readonly mode: Config['nearDuplicateText'];
  private readonly k: number;

  constructor(config: Config) {
    const { bands, rows } = bandLayout(config.nearDuplicateThreshold);
    this.sketcher = new Sketcher(rows);
    this.bandsPerRow = bands;
    this.keys = new Uint32Array(bands);
    this.mode = config.nearDuplicateText;
    this.k = config.nearDuplicateShingleSize;
  }

  /** Starts a new row. */
  begin(): void {
    this.words.length = 0;
    this.texts.length = 0;
    this.cjk = 0;
    this.letters = 0;
  }

  /** Adds a text of the row right after profileText or keyProfile ran on it (its WORDS are still those of this text). */
  addPart(part: TextPart, profile: KeyProfile): void {
    if (!comparesPart(part.kind, this.mode)) return;
    this.texts.push(part.text);
    this.cjk += profile.cjk;
    this.letters += profile.letters;
    if (profile.nonAscii) {
      appendWordHashes(part.text, this.words);
      return;
    }
    this.words.append(WORDS.hash, profile.wordCount);
  }

  /** Computes the row's band keys into `keys`; false when the row has nothing to compare. */
  finish(): boolean {
    const shingles = this.shingles;
    shingles.length = 0;
    if (this.texts.length === 0) return false;
    if (this.words.length >= this.k && !prefersCharShingles(this.cjk, this.letters)) wordShingleHashes(this.words.values, this.words.length, this.k, shingles);
    else charShingleHashes(this.texts.join('\n'), shingles);
    if (!this.sketcher.sign(shingles.values, shingles.length)) return false;
    this.sketcher.bandKeys(this.keys, 0);
    return true;
  }
}
