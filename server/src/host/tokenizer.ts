/**
 * The o200k encoding in a bundle of its own (dist/tokenizer.js): its rank table is 4 MB of code,
 * which the other bundles (CLI, server, workers, extension) load only when a count is needed,
 * instead of each carrying a copy (see scripts/build.mjs).
 */
export * from 'gpt-tokenizer/encoding/o200k_base';
