import type { Thresholds } from '../config';
import { formatCount } from '../format';
import { LANGUAGES, normalizeWidths, TRAIT } from '../text/scripts';
import type { FileFacts, LateReport } from './fileFacts';
import type { RowReport } from './rowRule';

/**
 * The file-level rules about the languages and Chinese writing of a file, decided from the rows'
 * traits (text/scripts.ts rowTraits: the language of each row's spoken text, the widths of its
 * punctuation and digits, its character system):
 * - mixed-language: a row in another language than the file's main one, when one language holds
 *   at least `mixedLanguageMajority` of the rows (else the file is taken as bilingual, and said so
 *   in the statistics, not as findings);
 * - width-mix: Chinese or Japanese rows whose punctuation (or letters and digits) are written in the
 *   width most of the file's rows do not use, with a fix to the file's width;
 * - han-variant-mix: a Chinese file mixing simplified and traditional characters, one finding on the
 *   file with the counts and the first rows of the smaller system.
 */

/** What the language rules decided for a file (kept by the editor's quick re-check). */
export interface LanguageDecisions {
  /** Rows per language (index into LANGUAGES; 0 counts rows without letters). */
  counts: number[];
  /** The main language's index, or 0 when no language holds the majority share (bilingual, or no text). */
  main: number;
  punct: 'full' | 'half' | undefined;
  alnum: 'full' | 'half' | undefined;
  /** A row's reports, from its traits. */
  reports(traits: number): RowReport[] | undefined;
}

/** The text the row's traits were told from (its last answer on instruction and chat rows): the finding and its fix are there. */
const SPOKEN = { path: ['@spoken'] };

const WIDTH_WORDS = { full: 'full-width', half: 'half-width' } as const;

/** What a width-mix row does, by the width the file uses (whole phrases, so they translate as one). */
const PUNCT_PHRASE = {
  full: "half-width punctuation where the file's rows mostly use full-width (，！？)",
  half: "full-width punctuation where the file's rows mostly use half-width (, ! ?)",
} as const;
const ALNUM_PHRASE = {
  half: "full-width letters or digits where the file's rows mostly use half-width (123)",
  full: "half-width digits where the file's rows mostly use full-width (１２３)",
} as const;

/** Counts the rows' traits and decides the main language and widths. */
export function languageDecisions(facts: FileFacts, t: Thresholds): LanguageDecisions {
  const counts = new Array<number>(LANGUAGES.length).fill(0);
  let fullPunct = 0;
  let halfPunct = 0;
  let fullAlnum = 0;
  let halfDigits = 0;
  for (let i = 0; i < facts.count; i++) {
    const traits = facts.traits[i];
    counts[traits & TRAIT.LANGUAGE]++;
    if (traits & TRAIT.FULL_PUNCT) fullPunct++;
    if (traits & TRAIT.HALF_PUNCT) halfPunct++;
    if (traits & TRAIT.FULL_ALNUM) fullAlnum++;
    if (traits & TRAIT.HALF_DIGITS) halfDigits++;
  }
  let main = 0;
  let withText = 0;
  for (let l = 1; l < counts.length; l++) {
    withText += counts[l];
    if (counts[l] > counts[main] || main === 0) main = counts[l] > 0 ? l : main;
  }
  if (main > 0 && counts[main] < t.mixedLanguageMajority * withText) main = 0;
  // Mixed only when both are there; a tie goes to the standard (full-width punctuation, ASCII digits).
  const punct = fullPunct && halfPunct ? (fullPunct >= halfPunct ? 'full' : 'half') : undefined;
  const alnum = fullAlnum && halfDigits ? (halfDigits >= fullAlnum ? 'half' : 'full') : undefined;
  const mainName = LANGUAGES[main];
  const share = (n: number) => `${Math.round((100 * n) / Math.max(1, withText))}%`;
  const byTraits = new Map<number, RowReport[] | undefined>();
  return {
    counts, main, punct, alnum,
    reports(traits) {
      if (byTraits.has(traits)) return byTraits.get(traits);
      const out: RowReport[] = [];
      const language = traits & TRAIT.LANGUAGE;
      if (main > 0 && language > 0 && language !== main) {
        out.push({
          rule: 'mixed-language',
          message: `This row is written in ${LANGUAGES[language]} where ${share(counts[main])} of the file's rows are in ${mainName}`,
          target: SPOKEN,
          data: { language: LANGUAGES[language], main: mainName },
        });
      }
      const wrongPunct = punct && traits & (punct === 'full' ? TRAIT.HALF_PUNCT : TRAIT.FULL_PUNCT) ? punct : undefined;
      const wrongAlnum = alnum && traits & (alnum === 'half' ? TRAIT.FULL_ALNUM : TRAIT.HALF_DIGITS) ? alnum : undefined;
      if (wrongPunct || wrongAlnum) {
        const what = [wrongPunct && PUNCT_PHRASE[wrongPunct], wrongAlnum && ALNUM_PHRASE[wrongAlnum]].filter(Boolean);
        out.push({
          rule: 'width-mix',
          message: `This row uses ${what.join(', and ')}`,
          target: SPOKEN,
          fix: {
            title: `Use ${[wrongPunct && `${WIDTH_WORDS[wrongPunct]} punctuation`, wrongAlnum && `${WIDTH_WORDS[wrongAlnum]} ${wrongAlnum === 'half' ? 'letters and digits' : 'digits'}`].filter(Boolean).join(' and ')}`,
            kind: 'map-value', path: SPOKEN.path, map: (text) => normalizeWidths(text, wrongPunct, wrongAlnum),
          },
        });
      }
      const result = out.length ? out : undefined;
      byTraits.set(traits, result);
      return result;
    },
  };
}

/** Reports mixed-language and width-mix on every row they concern. */
export function findLanguageMix(facts: FileFacts, decisions: LanguageDecisions, report: LateReport): void {
  if (decisions.main === 0 && !decisions.punct && !decisions.alnum) return;
  for (let i = 0; i < facts.count; i++) {
    const reports = decisions.reports(facts.traits[i]);
    if (reports) for (const r of reports) report(i, r);
  }
}

const rows = (n: number) => `${formatCount(n)} row${n === 1 ? '' : 's'}`;

/** han-variant-mix: one finding on the file when its Chinese rows mix simplified and traditional characters. */
export function findHanVariantMix(facts: FileFacts, report: LateReport): void {
  let simplified = 0;
  let traditional = 0;
  for (let i = 0; i < facts.count; i++) {
    const traits = facts.traits[i];
    if (traits & TRAIT.SIMPLIFIED && !(traits & TRAIT.TRADITIONAL)) simplified++;
    else if (traits & TRAIT.TRADITIONAL && !(traits & TRAIT.SIMPLIFIED)) traditional++;
  }
  if (!simplified || !traditional) return;
  const minority = simplified >= traditional ? TRAIT.TRADITIONAL : TRAIT.SIMPLIFIED;
  const lines: number[] = [];
  for (let i = 0; i < facts.count && lines.length < 5; i++) if (facts.traits[i] & minority && !(facts.traits[i] & (minority === TRAIT.SIMPLIFIED ? TRAIT.TRADITIONAL : TRAIT.SIMPLIFIED))) lines.push(facts.line[i]);
  report(-1, {
    rule: 'han-variant-mix',
    message: `The file mixes simplified (${rows(simplified)}) and traditional Chinese characters (${rows(traditional)}); the ${minority === TRAIT.TRADITIONAL ? 'traditional' : 'simplified'} ones start at line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`,
    data: { simplified, traditional, lines },
  });
}
