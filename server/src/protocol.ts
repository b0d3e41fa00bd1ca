/**
 * Every custom message between the extension client and the language server, declared once.
 * Plain method names and types, so the client, the server and tests import them without the LSP libraries.
 */
import type { DatasetStats, FormatName, QualityReport } from './engine';

/** What the status bar, the CodeLens, the summary command and the report show of one dataset. */
export interface FileSummary {
  uri: string;
  format: FormatName;
  container: 'jsonl' | 'csv' | 'json';
  rows: number;
  fields: Record<string, string>;
  errors: number;
  warnings: number;
  infos: number;
  stats: DatasetStats;
  /** How the file was read where a person should confirm it (no header row, guessed fields), in sentences. */
  readAs: string[];
}

/** LSP-shaped text edit (0-based positions), so the client applies it as a WorkspaceEdit. */
export interface EditDto {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

/** client → server: the summary of a dataset the server has analyzed (open or on disk); null when it is not a dataset. */
export namespace FileSummaryRequest {
  export const method = 'tuneset/fileSummary';
  export type Params = { uri: string };
  export type Result = FileSummary | null;
}

/** client → server: re-check every dataset file of the workspace from disk, with progress; resolves to how many were checked. */
export namespace CheckWorkspaceRequest {
  export const method = 'tuneset/checkWorkspace';
  export type Params = Record<string, never>;
  export type Result = { files: number; findings: number; cancelled: boolean };
}

/** client → server: the edits that delete every exact duplicate of a document, keeping each first occurrence. */
export namespace RemoveDuplicatesRequest {
  export const method = 'tuneset/removeDuplicates';
  export type Params = { uri: string };
  export type Result = { edits: EditDto[]; rows: number };
}

/** server → client: an open dataset was analyzed again (the status bar follows it). */
export namespace SummaryChangedNotification {
  export const method = 'tuneset/summaryChanged';
  export type Params = FileSummary;
}

/**
 * client → server, just before a file's didOpen: the document's text (tens of megabytes for a big
 * dataset) takes about a second to cross the protocol, so the server starts on the file as it is on
 * disk meanwhile and publishes its diagnostics; the didOpen's text, when it is the same, adopts that work.
 */
export namespace WillOpenNotification {
  export const method = 'tuneset/willOpen';
  export type Params = { uri: string };
}

/**
 * server → client: the long checks running now (those showing progress), by title; empty when none.
 * The client offers "Cancel check" while the list is not empty.
 */
export namespace ChecksRunningNotification {
  export const method = 'tuneset/checksRunning';
  export type Params = { titles: string[] };
}

/** client → server: cancel every running check (a document's, the workspace check); resolves to their titles. */
export namespace CancelChecksRequest {
  export const method = 'tuneset/cancelChecks';
  export type Params = Record<string, never>;
  export type Result = { cancelled: string[] };
}

/** server → client: settings had problems; each is a sentence naming the setting. */
export namespace SettingsProblemsNotification {
  export const method = 'tuneset/settingsProblems';
  export type Params = { problems: string[] };
}

/** The command ids the client registers (package.json declares the same ids; a test checks they agree). */
export const COMMANDS = {
  checkWorkspace: 'tuneset.checkWorkspace',
  cancelChecks: 'tuneset.cancelChecks',
  removeDuplicates: 'tuneset.removeDuplicates',
  showFileSummary: 'tuneset.showFileSummary',
  showReport: 'tuneset.showReport',
  exportReport: 'tuneset.exportReport',
  splitDataset: 'tuneset.splitDataset',
  augmentDataset: 'tuneset.augmentDataset',
} as const;

// ---- The quality report page (media/report.js) and the panel that hosts it ----------------------
// Webview messages, not LSP ones: they travel through webview.postMessage / acquireVsCodeApi().postMessage.

/** page → panel: the page has loaded and listens; the panel may send a fresh report. */
export type ReportReadyMessage = { type: 'ready' };
/** page → panel: the user clicked a row's line; reveal that 1-based line of the dataset in the editor. */
export type ReportRevealMessage = { type: 'reveal'; line: number };
export type ReportPageMessage = ReportReadyMessage | ReportRevealMessage;

/** panel → page: the dataset was analyzed again; the page draws this report instead. */
export type ReportUpdateMessage = { type: 'update'; report: QualityReport };
export type ReportHostMessage = ReportUpdateMessage;

/** What the page keeps through vscode.setState, so a hidden and shown panel opens as it was. */
export interface ReportPageState {
  /** The rule whose rows were listed. */
  openRule?: string;
}

// ---- The split and augment panels (client/src/panels, media/src/*.ts) ------------------------------
// Webview messages: the page gathers choices and shows previews; the panel host runs the engine.

/** The split form's choices, as the page sends them. */
export interface SplitChoices {
  mode: 'ratios' | 'folds';
  ratios: number[];
  folds: number;
  seed: number;
  stratify: boolean;
  groupDuplicates: boolean;
  /** Keep near-duplicate clusters together (runs the near-duplicate check once). */
  groupNearDuplicates: boolean;
  groupField: string;
  timeField: string;
  /** Folder for the new files, relative to the workspace (empty: beside the source). */
  outputFolder: string;
}

/** What the split page shows for the current choices. */
export interface SplitPreview {
  rows: number;
  splits: { name: string; file: string; rows: number; target: number; labels: Record<string, number>; unlabeled: number; balanceIndex: number }[];
  labels: string[];
  excluded: { line: number; reason: string }[];
  groups: { count: number; rows: number; largest: number };
  warnings: string[];
}

/** host → split page. */
export type SplitHostMessage =
  | { type: 'init'; file: string; format: string; fields: string[]; defaults: SplitChoices }
  | { type: 'preview'; preview: SplitPreview }
  | { type: 'problems'; problems: string[] }
  | { type: 'written'; files: string[] };

/** split page → host. */
export type SplitPageMessage = { type: 'ready' } | { type: 'preview'; choices: SplitChoices } | { type: 'write'; choices: SplitChoices };

/** The augment form's choices. */
export interface AugmentChoices {
  operations: ('sr' | 'ri' | 'rs' | 'rd' | 'ss')[];
  alpha: number;
  n: number;
  balance: 'none' | 'majority' | 'target' | 'downsample';
  target: number;
  seed: number;
  provenanceField: string;
}

/** One previewed row: the original beside its augmented text, with the changed spans to highlight. */
export interface AugmentSample {
  line: number;
  label?: string;
  operation: string;
  field: string;
  original: string;
  augmented: string;
  changed: { start: number; end: number }[];
}

export interface AugmentPreview {
  samples: AugmentSample[];
  before: Record<string, number>;
  after: Record<string, number>;
  newRows: number;
  unchanged: { line: number; reason: string }[];
  leaks: number;
  warnings: string[];
  output: string;
}

/** host → augment page. */
export type AugmentHostMessage =
  | { type: 'init'; file: string; format: string; operations: Record<string, string>; defaults: AugmentChoices; trainOnly?: string }
  | { type: 'preview'; preview: AugmentPreview }
  | { type: 'problems'; problems: string[] }
  | { type: 'written'; files: string[] };

/** augment page → host. */
export type AugmentPageMessage = { type: 'ready' } | { type: 'preview'; choices: AugmentChoices } | { type: 'write'; choices: AugmentChoices };

/** client → server: the quality report of a dataset (open or on disk); null when it is not one the server checked. */
export namespace ReportRequest {
  export const method = 'tuneset/report';
  export type Params = { uri: string };
  export type Result = QualityReport | null;
}
