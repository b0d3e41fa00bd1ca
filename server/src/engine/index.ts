/**
 * The engine's one public face: pure TypeScript, no editor and no I/O; hosts hand it bytes. Code
 * outside the engine imports it from here only (lint says so; tests and benchmarks may reach inside).
 *
 * Its rooms, in the order a file goes through them (each room's first comment is in the file named):
 *   read/        bytes -> rows: encodings, JSONL, CSV/TSV, JSON arrays            read/index.ts
 *   schema/      rows -> format and fields; a row's texts and label              schema/formats.ts
 *   analysis/    the row pass, the file-level step, shards, the editor's model   analysis/analyze.ts
 *   rules/       the rule catalog, per-row rules, file-level rules (FILE_RULES)  rules/catalog.ts
 *   similarity/  shingles, MinHash, LSH band tables, clusters                    similarity/lsh.ts
 *   text/        a text's profile, normalisation, token counts                   text/profile.ts
 *   report/      statistics, the quality report, HTML and Markdown               report/report.ts
 *   split/       train/val/test files                                            split/split.ts
 *   augment/     new rows (EDA) and balanced classes                             augment/augment.ts
 * At the root: types.ts (findings, ranges), config.ts (settings) and small helpers shared by rooms.
 * No module imports another that imports it back (scripts/check-cycles.mjs, run by npm run lint).
 */
export { analyzeDataset, describeJsonRow, deleteRowEdit, type DatasetAnalysis, type AnalyzeOptions } from './analysis/analyze';
export { detectDatasetFormat, type Detection } from './analysis/detection';
export {
  planJsonlShards, analyzeJsonlShard, analyzeCsvShard, mergeJsonlShards, mergeJsonlShardsThen, mergeCsvShardsThen, firstTokenSample, type Shard, type ShardResult,
} from './analysis/shards';
export { csvByteRanges, csvRangeReader, planCsvRead, type CsvPlan, type CsvRangeFailure } from './read/csvRange';
export type { CsvLayout } from './read/csv';
export { parseConfig, configSchema, DEFAULT_CONFIG, type Config, type ConfigResult } from './config';
export { RULES, RULE_IDS, SAFE_FIX_RULES, ruleDocsUrl, type RuleId, type RuleInfo } from './rules/catalog';
export {
  containerOfPath, describeForeignFormat, foreignFormatByMagic, foreignFormatByName, isDatasetPath, isJsonDataset, isJsonlPath, openReader,
  READABLE_FORMATS, SNIFF_BYTES, sniffContainer, toBytes, type DatasetContainer, type ForeignFormat,
} from './read';
export { detectFormat, FORMATS, TEXT_ALIASES, LABEL_ALIASES } from './schema/formats';
export { normalizeText, normalizedHash } from './text/normalize';
export { countTokens, loadTokenizer, tokenizerLoaded, type TokenSample } from './text/tokens';
export { LANGUAGES } from './text/scripts';
export { qualityScore, rowScore, distribution, type DatasetStats, type Distribution, type QualityScore } from './report/stats';
export { balanceIndex } from './rules/labels';
export * from './types';
export { IncrementalDataset, type LineEdit } from './analysis/incremental';
export { buildReport, exampleLines, withExampleTexts, type QualityReport, type ReportExtras, type RuleFindings, type NearDuplicateCluster, type LabelShare } from './report/report';
export { renderReportHtml, reportJson, type ReportPageOptions, type PageScript, type PageStyle } from './report/reportHtml';
export { renderReportMarkdown } from './report/reportMarkdown';
export type { LabelQualitySection } from './report/labelQualitySection';
export { conversationStats, withConversations, type ConversationStats } from './report/conversations';
export { computeDiversity, type Diversity, type DiversityOptions } from './report/diversity';
export { buildSplitComparison, findSplitSiblings, type SplitComparison, type SplitLeaks, type SplitInput, type SplitName } from './report/splitComparison';
export { datasetRowHashes, readRowTexts, type RowText } from './analysis/rowTexts';
export { clusterRows, findingsByRow, queryRowTable, readRowTable, rowOfLine, rowTokens, type RowQuery, type RowSort, type RowTable, type TableRow, type TablePart } from './analysis/rowTable';
export { histogram, type Histogram } from './report/stats';
export { containerPieces, containerTextPieces, datasetSource, jsonlSource, outputName, type DatasetSource, type OutputFile, type OutputBytes, type OutputPieces } from './read/datasetSource';
export { OptionsError } from './optionsError';
export type { SourceRow, DatasetReader } from './read';
export { planSplit, planSplitOfFacts, splitRowsOptions, resolveSplitOptions, DEFAULT_MIN_ROWS, type SplitOptions, type SplitPlan, type SplitPart, type SplitFold, type MissingLabel, type AppliedSplitOptions, type ExcludedRow } from './split/split';
export { splitRowsOfIndex, type SplitRows } from './split/splitRows';
export { renderSplit, renderSplitBytes, renderSplitPieces, foldFileName, splitFileNames, splitPartName, splitManifest, splitManifestName, type SplitManifest } from './split/renderSplit';
export {
  augmentDataset, planAugmentation, resolveAugmentOptions, AUGMENT_OPERATIONS, DEFAULT_OPERATIONS, MODEL_OPERATIONS, STOPWORDS, LEAKS_LISTED, MAX_VARIANTS_PER_ROW, NO_THESAURUS,
  type Augmentation, type AugmentSummary, type AugmentOperation, type SynonymProvider, type Rewrites, type BalanceOptions, type TextSpan, type Tagger, type WordNetPos,
} from './augment/augment';
export type { AugmentOptions, AugmentResult, AugmentedRow, AugmentedPart, UnchangedRow, AppliedAugmentOptions } from './augment/types';
export { renderAugmented, renderAugmentedPieces, augmentedFileName, type RenderAugmentedOptions } from './augment/renderAugmented';
export { withExtraFindings, type AnalysisStats } from './analysis/analyze';
export { findCrossFileLeaks, leakGroups, fileSplitRole, fileSplitScope, type LeakOptions, type LeakSource, type SplitRole } from './rules/crossFileLeak';
export { nearDuplicateClusters, nearDuplicateClusterPairs } from './rules/nearDuplicates';
export { rowLookup, rowLookupByOffsets, type RowLookup } from './similarity/rowLookup';
export { sketchSettings, type RowIndex } from './similarity/rowIndex';
export { jsonlByteRanges, jsonlShards, lineAt, linesIn } from './analysis/shards';
export { equalCuts, guidedCuts } from './read/source';
export { jsonlReader } from './read/jsonl';
export { decodeText } from './read/decode';
export { CHUNK_BYTES, decodeSourceLines, isUtf16Source, memorySource, readFully, sourceBytes, type ByteSource } from './read/source';
export { detectEncoding, encodingFromStart, ENCODING_TITLES, isUtf16, START_BYTES, type EncodingName, type LegacyEncoding } from './read/encoding';
export { omittedPerRule, type OmittedFindings } from './analysis/findingBudget';
export { analysisSteps } from './analysis/analyze';
export type { Steps } from './analysis/steps';
export { packFindings, unpackFindings, type PackedFindings } from './analysis/packedFindings';
export { postedAnalysis, receivedAnalysis, type PostedAnalysis } from './analysis/postedAnalysis';
export { formatCount, formatShare } from './format';
export * from './labels';
export { agreementCheckSteps, labelCheckSteps, labelCheckJson, shownProbability, reportedLabelErrors, splitLearningCurveSteps, type LabelCheck, type LabelCheckOptions, type SplitLearningCurve, type SplitCurveFile } from './rules/labelErrors';
export { suggestSteps, labelEdits, EXCERPT_CHARS, type SuggestOptions, type Suggestion, type SuggestResult, type LabelChoice } from './rules/suggest';
export { rowActionEdits, type RowAction, type RowActionEdits } from './rules/rowActions';
