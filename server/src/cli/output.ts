import type { DatasetAnalysis } from '../engine';
import { translator, type Translator } from '../host/l10n';
import { SarifStream } from './sarif';
import { textFileSummary, textFindingChunks } from './text';

/**
 * A report written a file at a time, as each file is analyzed: the head, each file's findings, and
 * the tail. A stream keeps of each file only what its tail needs (a summary's few lines), so
 * checking many files holds one file's findings at a time and prints as it goes.
 */
export interface ReportStream {
  head(): string;
  file(analysis: DatasetAnalysis): Iterable<string>;
  tail(): string;
}

/** What check keeps of a file once it is written: what the exit code needs. */
export interface FileVerdict {
  findingsBySeverity: DatasetAnalysis['stats']['findingsBySeverity'];
  namesUnknownField: boolean;
}

export function fileVerdict(analysis: DatasetAnalysis): FileVerdict {
  return { findingsBySeverity: analysis.stats.findingsBySeverity, namesUnknownField: !!analysis.notes?.some((n) => n.kind === 'unknown-field') };
}

/** The stream for an output format; `json` files are written by the host's own JSON writer. */
export function reportStream(format: 'text' | 'sarif', options: { color: boolean; version: string; tr?: Translator }): ReportStream {
  return format === 'sarif' ? new SarifStream(options.version) : new TextStream(options.color, options.tr);
}

/** Finding lines per file as they come; the summary block of every file at the end. */
class TextStream implements ReportStream {
  private readonly summaries: string[] = [];

  constructor(private readonly color: boolean, private readonly tr: Translator = translator('en')) {}

  head(): string {
    return '';
  }

  *file(analysis: DatasetAnalysis): Generator<string> {
    this.summaries.push(textFileSummary(analysis, this.color, this.tr));
    yield* textFindingChunks(analysis, this.color, this.tr);
  }

  tail(): string {
    return this.summaries.join('\n') + '\n';
  }
}
