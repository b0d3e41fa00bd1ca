/** The engine's one public face: pure TypeScript, no editor and no I/O; hosts hand it bytes. */
export { analyzeDataset, describeJsonRow, detectDatasetFormat, deleteRowEdit, type DatasetAnalysis, type AnalyzeOptions, type Detection } from './analyze';
export { planJsonlShards, analyzeJsonlShard, mergeJsonlShards, type Shard, type ShardResult } from './shards';
export { parseConfig, configSchema, DEFAULT_CONFIG, type Config, type ConfigResult } from './config';
export { RULES, RULE_IDS, ruleDocsUrl, type RuleId, type RuleInfo } from './rules/catalog';
export { isDatasetPath, isJsonDataset, openReader, toBytes } from './read';
export { detectFormat, FORMATS, TEXT_ALIASES, LABEL_ALIASES } from './schema/formats';
export { normalizeText, normalizedHash } from './text/normalize';
export { countTokens } from './text/tokens';
export { qualityScore, distribution, type DatasetStats, type Distribution, type QualityScore } from './stats';
export { balanceIndex } from './rules/labels';
export * from './types';
export { IncrementalDataset, type LineEdit } from './incremental';
