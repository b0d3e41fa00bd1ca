import bpeRanks from 'gpt-tokenizer/bpeRanks/o200k_base';
import { buildO200kTable } from './o200k';

/**
 * The o200k rank table (see o200k.ts), made from gpt-tokenizer's ranks. Only code run from source
 * (the tests) loads this module: in the bundles, its name resolves to dist/tokenizer.js, which reads
 * the table scripts/build.mjs made with this module (dist/o200k.bin).
 */
export const table: Uint8Array = buildO200kTable(bpeRanks);
