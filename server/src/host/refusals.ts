import { formatCount as fmt, type Augmentation, type Config } from '../engine';
import { InputError } from './errors';

/**
 * What the CLI's split and augment refuse to write, and the editor's panels with them: a file
 * without a usable row, an augmentation so large it is most likely a mistyped count. One place, so
 * that a panel never writes what the command would refuse.
 */

/**
 * New rows an augmentation makes unless told to go on (the CLI's --force-large): a hundred per usable
 * source row, and ten million in all (about 3 GB of typical rows). More is most likely a mistyped
 * count or target.
 */
export const LARGE_PER_ROW = 100;
export const LARGE_RUN = 10_000_000;

/** The refusal of a file none of whose rows can be used (the first one's reason named). */
export function noUsableRows(display: string, rows: number, excluded: { line: number; reason: string }[]): InputError {
  if (!rows) return new InputError(`${display}: the file has no rows`);
  const first = excluded[0];
  return new InputError(`${display}: none of its ${fmt(rows)} row${rows === 1 ? '' : 's'} can be used${first ? ` (line ${first.line}: ${first.reason})` : ''}`);
}

/**
 * Why an augmentation is refused before anything is made (more new rows than LARGE_PER_ROW a usable
 * row or LARGE_RUN in all), or undefined. `asking` names the choice that asks for them ("--n 500"),
 * `instead` what to do (pass --force-large, choose fewer).
 */
export function largeRunRefusal(display: string, augmentation: Pick<Augmentation, 'rowCount' | 'excluded' | 'asked'>, asking: string, instead: string): string | undefined {
  const rows = augmentation.rowCount - augmentation.excluded.length;
  if (augmentation.asked <= LARGE_RUN && augmentation.asked <= LARGE_PER_ROW * rows) return undefined;
  return `${display}: ${asking} asks for ${fmt(augmentation.asked)} new rows from ${fmt(rows)} row${rows === 1 ? '' : 's'}, more than ${LARGE_PER_ROW} per row or ${fmt(LARGE_RUN)} in all; ${instead}`;
}

/** True when check looks for near-duplicates (within a file or across files): then a split groups them. */
export function nearRulesOn(config: Config): boolean {
  return config.rules['near-duplicate'] !== 'off' || config.rules['cross-file-leak'] !== 'off';
}
