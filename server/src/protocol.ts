/**
 * Every custom message between the extension client and the language server, declared once. Each
 * message is a namespace with its method, its parameter and result types and a typed `type`
 * (vscode-jsonrpc's RequestType / NotificationType; ProtocolRequestType for requests that report
 * work-done progress), so `sendRequest(X.type, …)` and `onRequest(X.type, …)` are type-checked at
 * both ends. Engine types are imported as types only: the client bundle holds no engine code.
 */
import { NotificationType, ProtocolRequestType, RequestType, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';
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
  /** The label model's noise ratio in a sentence, once its background pass has run (classification files). */
  labelQuality?: string;
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
  export const type = new RequestType<Params, Result, void>(method);
}

/** client → server: re-check every dataset file of the workspace from disk, with progress; resolves to how many were checked. */
export namespace CheckWorkspaceRequest {
  export const method = 'tuneset/checkWorkspace';
  export type Params = Record<string, never>;
  export type Result = { files: number; findings: number; cancelled: boolean };
  export const type = new RequestType<Params, Result, void>(method);
}

/** client → server: the edits that delete every exact duplicate of a document, keeping each first occurrence. */
export namespace RemoveDuplicatesRequest {
  export const method = 'tuneset/removeDuplicates';
  export type Params = { uri: string };
  export type Result = { edits: EditDto[]; rows: number };
  export const type = new RequestType<Params, Result, void>(method);
}

/** server → client: an open dataset was analyzed again (the status bar follows it). */
export namespace SummaryChangedNotification {
  export const method = 'tuneset/summaryChanged';
  export type Params = FileSummary;
  export const type = new NotificationType<Params>(method);
}

/**
 * client → server, just before a file's didOpen: the document's text (tens of megabytes for a big
 * dataset) takes about a second to cross the protocol, so the server starts on the file as it is on
 * disk meanwhile and publishes its diagnostics; the didOpen's text, when it is the same, adopts that work.
 */
export namespace WillOpenNotification {
  export const method = 'tuneset/willOpen';
  export type Params = { uri: string };
  export const type = new NotificationType<Params>(method);
}

/**
 * server → client: the long checks running now (those showing progress), by title; empty when none.
 * The client offers "Cancel check" while the list is not empty.
 */
export namespace ChecksRunningNotification {
  export const method = 'tuneset/checksRunning';
  export type Params = { titles: string[] };
  export const type = new NotificationType<Params>(method);
}

/** client → server: cancel every running check (a document's, the workspace check); resolves to their titles. */
export namespace CancelChecksRequest {
  export const method = 'tuneset/cancelChecks';
  export type Params = Record<string, never>;
  export type Result = { cancelled: string[] };
  export const type = new RequestType<Params, Result, void>(method);
}

/** server → client: settings had problems; each is a sentence naming the setting. */
export namespace SettingsProblemsNotification {
  export const method = 'tuneset/settingsProblems';
  export type Params = { problems: string[] };
  export const type = new NotificationType<Params>(method);
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
  storeAugmentApiKey: 'tuneset.storeAugmentApiKey',
  openDatasetView: 'tuneset.openDatasetView',
  suggestRows: 'tuneset.suggestRows',
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
  /** Groups kept whole; `moved`: rows an ungrouped split would have put elsewhere, in `straddling` groups. */
  groups: { count: number; rows: number; largest: number; straddling?: number; moved?: number };
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

/** Augmentation's operations: EDA's five, character noise, copy, back-translation, paraphrase. */
export const AUGMENT_OPERATION_CODES = ['sr', 'ri', 'rs', 'rd', 'ss', 'cn', 'cp', 'bt', 'pp'] as const;
export type AugmentOperationCode = (typeof AUGMENT_OPERATION_CODES)[number];

/** The augment form's choices. */
export interface AugmentChoices {
  operations: AugmentOperationCode[];
  /** Operations whose new rows are left out of the write (the others' rows stay as previewed). */
  rejected?: AugmentOperationCode[];
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
  /** The operation's name, and its code (what `rejected` names). */
  operation: string;
  code: AugmentOperationCode;
  field: string;
  original: string;
  augmented: string;
  changed: { start: number; end: number }[];
}

/**
 * What the augment page shows for the current choices. The label counts and the number of new rows
 * are the plan's, from one pass over the whole file; the samples, unchanged rows and leaks come from
 * augmenting a bounded sample of rows only (`sampled` of `rows`): the write augments them all.
 */
export interface AugmentPreview {
  samples: AugmentSample[];
  before: Record<string, number>;
  /** Rows per label once every planned new row is made (a row that cannot be varied enough makes fewer). */
  after: Record<string, number>;
  /** New rows planned. */
  newRows: number;
  /** New rows of the previewed sample per operation (rejected ones included: what rejecting leaves out). */
  byOperation: Record<string, number>;
  unchanged: { line: number; reason: string }[];
  leaks: number;
  warnings: string[];
  /** The file Write makes (the server gives its path; the panel shows it relative to the workspace). */
  output: string;
  /** Rows augmented for this preview, and rows in the file. */
  sampled: number;
  rows: number;
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
  export const type = new RequestType<Params, Result, void>(method);
}

// ---- The panels' work, done by the language server -------------------------------------------------
// The panel hosts (client/src/panels) only show pages and ask the user; reading the dataset, planning,
// augmenting, rendering and writing files happen in the server, through these requests. Files are
// named by absolute paths (the server runs on the same machine); a choice the engine refuses comes
// back as `problems` (sentences for the page), not as a failed request.

/** Bad choices or an unreadable file: sentences naming the problem, for the page's problems box. */
export type Problems = { problems: string[] };

/**
 * What a write request did: the files written (all or none, atomically), or the targets that exist and
 * were not in `overwrite` (nothing is written: the panel asks the user, then asks again with them).
 */
export type WriteResult = { written: string[]; rows: number } | { exists: string[] } | Problems;

/** Parameters of every write: the existing files the user agreed to replace. */
export interface OverwriteParams {
  overwrite: string[];
}

/** client → server: what the split page starts from: the file's format, its first row's fields, the default choices. */
export namespace SplitFormRequest {
  export const method = 'tuneset/splitForm';
  export type Params = { uri: string };
  export type Result = { format: FormatName; fields: string[]; defaults: SplitChoices } | Problems;
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * client → server: the split the choices make, into `folder` (absolute; splits[].file are absolute
 * paths there). Grouping near-duplicates reuses the server's current analysis of the file, or runs
 * the near-duplicate search once (with progress, cancellable); later previews reuse its groups.
 */
export namespace SplitPreviewRequest {
  export const method = 'tuneset/splitPreview';
  export type Params = { uri: string; choices: SplitChoices; folder: string } & WorkDoneProgressParams;
  export type Result = { preview: SplitPreview } | Problems;
  export const type = new ProtocolRequestType<Params, Result, never, void, void>(method);
}

/** client → server: writes the split files and the manifest into `folder`, with progress; cancelled, it leaves none of them. */
export namespace SplitWriteRequest {
  export const method = 'tuneset/splitWrite';
  export type Params = { uri: string; choices: SplitChoices; folder: string } & OverwriteParams & WorkDoneProgressParams;
  export type Result = WriteResult;
  export const type = new ProtocolRequestType<Params, Result, never, void, void>(method);
}

/**
 * client → server: what the augment page starts from. A file that was split is augmented through its
 * train split (`source`), its other splits checked for leaks; a held-out split is refused (`heldOutOf`
 * names its manifest).
 */
export namespace AugmentFormRequest {
  export const method = 'tuneset/augmentForm';
  export type Params = { uri: string };
  export type Result =
    | { source: string; manifest?: string; format: FormatName; operations: Record<AugmentChoices['operations'][number], string>; defaults: AugmentChoices }
    | { heldOutOf: string }
    | Problems;
  export const type = new RequestType<Params, Result, void>(method);
}

/** client → server: a preview of augmenting `uri` (the form's `source`) with the choices: a bounded sample of rows. */
export namespace AugmentPreviewRequest {
  export const method = 'tuneset/augmentPreview';
  /** apiKey: the augmentation endpoint's key from the editor's secret storage (used for the request, never kept). */
  export type Params = { uri: string; choices: AugmentChoices; apiKey?: string };
  export type Result = { preview: AugmentPreview } | Problems;
  export const type = new RequestType<Params, Result, void>(method);
}

/** client → server: augments the whole file into NAME.augmented.EXT beside it, with progress; cancelled, it leaves no file. */
export namespace AugmentWriteRequest {
  export const method = 'tuneset/augmentWrite';
  export type Params = { uri: string; choices: AugmentChoices; apiKey?: string } & OverwriteParams & WorkDoneProgressParams;
  /** `rows`: new rows written. */
  export type Result = WriteResult;
  export const type = new ProtocolRequestType<Params, Result, never, void, void>(method);
}

/**
 * client → server: the report panel's page for a dataset, rendered by the server with the page's
 * scripts and styles (webview URIs), nonce and CSP source; null when the server has not checked it.
 */
export namespace ReportPageRequest {
  export const method = 'tuneset/reportPage';
  export type Params = { uri: string; scripts: string[]; styles: string[]; nonce: string; cspSource: string };
  export type Result = { html: string } | null;
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * client → server: exports a dataset's report as a self-contained HTML page (`html`, Chart.js and the
 * page inlined) and a Markdown data card beside it (NAME.md), written together, with progress.
 */
export namespace ExportReportRequest {
  export const method = 'tuneset/exportReport';
  export type Params = { uri: string; html: string } & OverwriteParams & WorkDoneProgressParams;
  export type Result = WriteResult | null;
  export const type = new ProtocolRequestType<Params, Result, never, void, void>(method);
}

// ---- The dataset view (client/src/panels/datasetView.ts, media/src/datasetView.ts) -------------------
// The view is a table over the language server's rows: the page asks for a page of rows at a time
// (never the whole file), filtered and sorted by the server.

/** What the view asks for: rows with a label, with findings of a rule, containing a text; in an order. */
export interface DatasetRowsQuery {
  label?: string;
  rule?: string;
  /** Rows whose worst finding is at least this severe. */
  severity?: 'error' | 'warning' | 'info' | 'hint';
  /** Rows of one near-duplicate cluster (its number in the file). */
  cluster?: number;
  /** Case-insensitive text in the row's text, label or other fields; a regular expression when `regex`. */
  text?: string;
  regex?: boolean;
  /** `score`: the lowest row score first; `text`: alphabetical by text; `field`: by the other field `sortField`. */
  sort?: 'line' | 'length-asc' | 'length-desc' | 'label' | 'findings' | 'score' | 'text' | 'field';
  sortField?: string;
}

/** One finding of a row, as the view lists it. */
export interface DatasetRowFinding {
  rule: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  line: number;
  column: number;
}

/** One row of the table. */
export interface DatasetRowView {
  /** The row's position in the file (0-based) and the 1-based lines it spans. */
  index: number;
  line: number;
  endLine: number;
  /** The row's text (a conversation as "role: content" lines), cut at `DatasetRowsRequest.TEXT_CHARS` characters. */
  text: string;
  /** The whole text's length in characters. */
  length: number;
  label?: string;
  /** The row's tokens as token-limit counts them (`estimated`: past the exactly counted start of a long text). */
  tokens: number;
  tokensEstimated?: boolean;
  other: Record<string, string>;
  broken?: boolean;
  findings: DatasetRowFinding[];
  /** The row's score on the file score's scale (rowScore): 100 without errors, warnings or a repeat. */
  score: number;
  /** A conversation's turns or an instruction's prompt and response: each part's role or field and text. */
  parts?: { name: string; text: string }[];
  /** The rows of the same file this row duplicates or nearly duplicates (or contradicts), to compare side by side. */
  twins?: { rule: string; line: number; text: string; label?: string; similarity?: number }[];
}

/**
 * client → server: a page of a dataset's rows (open document or file on disk) for the query: `offset`
 * and `limit` count among the rows the query selects (`matched`). The facets (labels, rules with the
 * rows they flag) are the whole file's, so the filters can offer them. Null: not a dataset the server
 * checks; `problems`: a query it cannot answer (a regular expression that does not compile).
 */
export namespace DatasetRowsRequest {
  export const method = 'tuneset/datasetRows';
  /** The most rows one request returns. */
  export const MAX_LIMIT = 500;
  export const TEXT_CHARS = 2000;
  export type Params = { uri: string; query: DatasetRowsQuery; offset: number; limit: number };
  export type Result =
    | {
        format: FormatName;
        /** Rows in the file, and rows the query selects. */
        total: number;
        matched: number;
        offset: number;
        rows: DatasetRowView[];
        labels: { name: string; rows: number }[];
        rules: { rule: string; rows: number }[];
        /** The file's near-duplicate clusters with their row counts, by number. */
        clusters: { cluster: number; rows: number }[];
        otherFields: string[];
        /** The document version the rows were read from (-1: the file on disk). */
        version: number;
      }
    | Problems
    | null;
  export const type = new RequestType<Params, Result, void>(method);
}

/** What the dataset view does to rows: delete them, give them one label, redact their personal data and keys. */
export type DatasetRowAction = { kind: 'delete' } | { kind: 'relabel'; label: string } | { kind: 'redact' };

/**
 * client → server: the edits of an action on rows of a document (the rows a query selects, or the rows
 * starting at `lines`), for one WorkspaceEdit; refused (problems) when the server's text is not the
 * document's at `version`.
 */
export namespace DatasetEditRequest {
  export const method = 'tuneset/datasetEdit';
  /** `dirty`: the client's document has changes the file on disk lacks (then the server must hold its text). */
  /** `version`: of the rows the view showed (DatasetRowsRequest's); `matched`: the rows the query selected then. */
  export type Params = { uri: string; version: number; dirty: boolean; action: DatasetRowAction } & ({ query: DatasetRowsQuery; matched: number } | { lines: number[] });
  export type Result = { edits: EditDto[]; rows: number; selected: number; problems: string[] } | Problems;
  export const type = new RequestType<Params, Result, void>(method);
}

/** host → dataset view page. */
export type DatasetViewHostMessage =
  | { type: 'init'; file: string; query: DatasetRowsQuery }
  | { type: 'rows'; seq: number; result: Exclude<DatasetRowsRequest.Result, null | Problems> }
  | { type: 'problems'; seq: number; problems: string[] }
  /** The dataset was checked again: the page asks for what it shows once more. */
  | { type: 'refresh' }
  /** The host sets a filter (e.g. "Show File Summary" → a rule). */
  | { type: 'query'; query: DatasetRowsQuery }
  /** An action was written into the document (`rows` changed, one undo), or could not be (problems). */
  | { type: 'edited'; rows: number; problems: string[] };

/** dataset view page → host. */
export type DatasetViewPageMessage =
  | { type: 'ready' }
  | { type: 'rows'; seq: number; query: DatasetRowsQuery; offset: number; limit: number }
  | { type: 'reveal'; line: number; endLine: number }
  /**
   * Do `action` to the rows the query selects (`matched` of them, as shown), or to the rows starting at
   * `lines` (the selected row), on the text of `version` (the rows' answer's).
   */
  | { type: 'edit'; action: DatasetRowAction; query: DatasetRowsQuery; matched: number; version: number; lines?: number[] };

// ---- Rows to label next (client/src/panels/suggestPanel.ts, media/src/suggest.ts) ----------------------
// The label model ranks the rows a person should label next (as `tuneset suggest`); the page lists them
// with the model's guess, the person accepts, changes or skips each, and Apply writes the accepted
// labels as one WorkspaceEdit (one undo).

/** How the rows are ranked (`tuneset suggest`'s options). */
export interface SuggestChoices {
  n: number;
  /** Every row, labelled ones too; otherwise only rows without a label. */
  all: boolean;
  strategy: 'margin' | 'entropy' | 'least-confidence';
  density: boolean;
}

/** One ranked row, as `tuneset suggest` writes it. */
export interface SuggestedRow {
  line: number;
  text: string;
  label: string | string[] | null;
  guess: string | string[];
  probabilities: Record<string, number>;
  score: number;
}

/** A label the person chose for the row starting at `line`. */
export interface ChosenLabel {
  line: number;
  label: string | string[];
}

/**
 * client → server: the rows to label next of a dataset (the open document's text, else the file on
 * disk), ranked by the label model, with progress; cancellable. `version`: the document version ranked
 * (-1: the file on disk), for SuggestApplyRequest.
 */
export namespace SuggestRowsRequest {
  export const method = 'tuneset/suggestRows';
  export type Params = { uri: string; choices: SuggestChoices } & WorkDoneProgressParams;
  export type Result =
    | { labels: string[]; multiLabel: boolean; unlabelledRows: number; rows: SuggestedRow[]; version: number; weak?: string }
    | Problems;
  export const type = new ProtocolRequestType<Params, Result, never, void, void>(method);
}

/**
 * client → server: the edits that write the chosen labels into the document, for one WorkspaceEdit;
 * refused (problems) when the document changed since `version` was ranked.
 */
export namespace SuggestApplyRequest {
  export const method = 'tuneset/suggestApply';
  export type Params = { uri: string; version: number; labels: ChosenLabel[] };
  export type Result = { edits: EditDto[]; problems: string[] } | Problems;
  export const type = new RequestType<Params, Result, void>(method);
}

/** host → suggest page. */
export type SuggestHostMessage =
  | { type: 'init'; file: string; defaults: SuggestChoices }
  | { type: 'rows'; result: Exclude<SuggestRowsRequest.Result, Problems> }
  | { type: 'problems'; problems: string[] }
  /** Apply wrote `count` labels into the document (one undo). */
  | { type: 'applied'; count: number };

/** suggest page → host. */
export type SuggestPageMessage =
  | { type: 'ready' }
  | { type: 'rank'; choices: SuggestChoices }
  | { type: 'apply'; labels: ChosenLabel[] }
  | { type: 'reveal'; line: number };
