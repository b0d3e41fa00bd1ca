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

/** What the rules found in a row: the rule that makes it unfit (if any), and its near-duplicate band keys (if the rules sketch rows). */
export interface RowVerdict {
  rule?: string;
  bands?: Uint32Array;
}

export class RowChecks {
  private readonly analyzer: RowAnalyzer;

  constructor(detection: Detection, config: Config) {
    this.analyzer = new RowAnalyzer({ container: 'jsonl', locate: locateInJsonRow }, detection, config, {});
  }

  /** Band keys per row of the near-duplicate sketch (0 when the near-duplicate rules are off). */
  get bandsPerRow(): number {
    return this.analyzer.sketcher?.bandsPerRow ?? 0;
  }

  /** The first error, credential, personal data or mojibake finding of a row, and its band keys (a copy). */
  check(row: SourceRow): RowVerdict {
    const { findings, bands } = this.analyzer.analyzeRow(row);
    const verdict: RowVerdict = {};
    if (bands) verdict.bands = bands.slice();
    for (const f of findings) {
      if (f.severity === 'error' || COPIED_PROBLEMS.has(f.rule) || f.rule.startsWith('pii-')) {
        verdict.rule = f.rule;
        break;
      }
    }
    return verdict;
  }

  /** The same check on a new row's value (its text is the value as JSON, which the rules locate in). */
  checkValue(value: Record<string, unknown>, index: number, line: number): RowVerdict {
    return this.check({ index, line, column: 1, text: JSON.stringify(value), value });
  }
}
