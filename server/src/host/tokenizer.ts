import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * The o200k rank table for the bundles (dist/tokenizer.js, which the engine's text/o200kTable
 * resolves to there; see scripts/build.mjs): the bytes the build made from gpt-tokenizer's ranks
 * (dist/o200k.bin), read when the engine first counts exactly, instead of 4 MB of rank literals
 * compiled and turned into a Map (#22).
 */
export const table: Uint8Array = readFileSync(join(__dirname, 'o200k.bin'));
