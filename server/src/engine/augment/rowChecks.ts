import type { Detection } from '../analysis/detection';
import { RowAnalyzer } from '../analysis/analyze';
import type { Config } from '../config';
import type { SourceRow } from '../read';
import { locateInJsonRow } from '../read/jsonl';

/**
 * Tuneset's own per-row rules run on augmentation's rows: a source row with an error, a credential,
 * personal data or mojibake is not augmented (a new row would copy it), and a new row is checked
 * the same way before it is written. The rules are the ones `tuneset check` runs, with the user's
 * configuration (severities, thresholds), so what augment writes, check accepts.
 */

/** Rules whose finding on a source row keeps it from being augmented, whatever their severity. */
const COPIED_PROBLEMS = new Set(['secret', 'mojibake', 'control-chars']);

export class RowChecks {
  private readonly analyzer: RowAnalyzer;

  constructor(detection: Detection, config: Config) {
    this.analyzer = new RowAnalyzer({ container: 'jsonl', locate: locateInJsonRow }, detection, config, { nearDuplicates: false });
  }

  /** The rule that makes a row unfit (the first error, credential, personal data or mojibake finding), or undefined. */
  problem(row: SourceRow): string | undefined {
    const { findings } = this.analyzer.analyzeRow(row);
    for (const f of findings) {
      if (f.severity === 'error' || COPIED_PROBLEMS.has(f.rule) || f.rule.startsWith('pii-')) return f.rule;
    }
    return undefined;
  }

  /** The same check on a new row's value (its text is the value as JSON, which the rules locate in). */
  problemOfValue(value: Record<string, unknown>, index: number, line: number): string | undefined {
    return this.problem({ index, line, column: 1, text: JSON.stringify(value), value });
  }
}
