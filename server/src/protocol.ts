/**
 * Every custom message between the extension client and the language server, declared once.
 * Plain method names and types, so the client, the server and tests import them without the LSP libraries.
 */
import type { DatasetStats } from './engine/stats';
import type { FormatName } from './engine/types';

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

/** server → client: settings had problems; each is a sentence naming the setting. */
export namespace SettingsProblemsNotification {
  export const method = 'tuneset/settingsProblems';
  export type Params = { problems: string[] };
}

/** The command ids the client registers (package.json declares the same ids; a test checks they agree). */
export const COMMANDS = {
  checkWorkspace: 'tuneset.checkWorkspace',
  removeDuplicates: 'tuneset.removeDuplicates',
  showFileSummary: 'tuneset.showFileSummary',
  showReport: 'tuneset.showReport',
  exportReport: 'tuneset.exportReport',
  splitDataset: 'tuneset.splitDataset',
  augmentDataset: 'tuneset.augmentDataset',
} as const;
