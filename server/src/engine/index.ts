/** The engine's one public face: pure TypeScript, no editor and no I/O; hosts hand it bytes. */
export { analyzeDataset, describeJsonRow, detectDatasetFormat, deleteRowEdit, type DatasetAnalysis, type AnalyzeOptions, type Detection } from './analyze';
export { planJsonlShards, analyzeJsonlShard, mergeJsonlShards, mergeJsonlShardsThen, firstTokenSample, type Shard, type ShardResult } from './shards';
export { parseConfig, configSchema, DEFAULT_CONFIG, type Config, type ConfigResult } from './config';
export { RULES, RULE_IDS, ruleDocsUrl, type RuleId, type RuleInfo } from './rules/catalog';
export {
  containerOfPath, describeForeignFormat, foreignFormatByMagic, foreignFormatByName, isDatasetPath, isJsonDataset, isJsonlPath, openReader,
  READABLE_FORMATS, SNIFF_BYTES, sniffContainer, toBytes, type DatasetContainer, type ForeignFormat,
} from './read';
export { detectFormat, FORMATS, TEXT_ALIASES, LABEL_ALIASES } from './schema/formats';
export { normalizeText, normalizedHash } from './text/normalize';
export { countTokens, loadTokenizer, tokenizerLoaded, type TokenSample } from './text/tokens';
export { qualityScore, distribution, type DatasetStats, type Distribution, type QualityScore } from './stats';
export { balanceIndex } from './rules/labels';
export * from './types';
export { IncrementalDataset, type LineEdit } from './incremental';
export { buildReport, type QualityReport, type ReportExtras, type RuleFindings, type NearDuplicateCluster, type LabelShare } from './report';
export { renderReportHtml, reportJson, type ReportPageOptions, type PageScript, type PageStyle } from './reportHtml';
export { renderReportMarkdown } from './reportMarkdown';
export { computeDiversity, type Diversity, type DiversityOptions } from './diversity';
export { buildSplitComparison, findSplitSiblings, type SplitComparison, type SplitInput, type SplitName } from './splitComparison';
export { datasetRowHashes, readRowTexts, type RowText } from './rowTexts';
export { histogram, type Histogram } from './stats';
export { containerPieces, containerTextPieces, datasetSource, outputName, type DatasetSource, type OutputFile, type OutputBytes, type OutputPieces } from './datasetSource';
export { OptionsError } from './optionsError';
export type { SourceRow, DatasetReader } from './read';
export {
  planSplit, renderSplit, renderSplitBytes, renderSplitPieces, resolveSplitOptions, splitManifest, splitManifestName,
  type SplitOptions, type SplitPlan, type SplitPart, type AppliedSplitOptions, type SplitManifest, type ExcludedRow,
} from './split';
export {
  augmentDataset, planAugmentation, renderAugmented, renderAugmentedPieces, augmentedFileName, resolveAugmentOptions, AUGMENT_OPERATIONS, STOPWORDS, LEAKS_LISTED, MAX_VARIANTS_PER_ROW,
  type Augmentation, type AugmentSummary, type AugmentOptions, type AugmentResult, type AugmentedRow, type AugmentedPart, type UnchangedRow, type AppliedAugmentOptions,
  type AugmentOperation, type SynonymProvider, type BalanceOptions, type RenderAugmentedOptions, type TextSpan,
} from './augment';
export { withExtraFindings, type AnalysisStats } from './analyze';
export { findCrossFileLeaks, fileSplitRole, type LeakOptions, type LeakSource, type SplitRole } from './rules/crossFileLeak';
export { nearDuplicateClusters } from './rules/nearDuplicates';
export { rowLookup, type RowLookup } from './index/rowLookup';
export type { RowIndex } from './index/rowIndex';
export { jsonlByteRanges, jsonlShards, lineAt } from './shards';
export { jsonlReader } from './read/jsonl';
export { CHUNK_BYTES, decodeSourceLines, isUtf16Source, memorySource, readFully, sourceBytes, type ByteSource } from './read/source';
export { detectEncoding, encodingFromStart, ENCODING_TITLES, isUtf16, START_BYTES, type EncodingName, type LegacyEncoding } from './read/encoding';
export { omittedPerRule, type OmittedFindings } from './findingBudget';
export * from './labels';
