import type { Detection } from '../analysis/detection';
import { RowAnalyzer } from '../analysis/analyze';
import type { Config } from '../config';
import type { SourceRow } from '../read';
import { locateInJsonRow } from '../read/jsonl';
import { redactPrivacy } from '../rules/privacy';
import { RULES, type RuleInfo } from '../rules/catalog';

/**
 * Tuneset's own per-row rules run on augmentation's rows: a source row with an error, a structure
 * warning, a credential, personal data or mojibake is not augmented (a new row would copy it, adding
 * to the file's findings), and a new row is checked the same way before it is written: one with any finding
 * its source row lacks (a "好" from "好评" too short, "good good good good" a repetition) is refused.
 * The rules are the ones `tuneset check` runs, with the user's configuration (severities,
 * thresholds), so what augment writes adds nothing to what check reports.
 */

/** Rules whose finding on a source row keeps it from being augmented, whatever their severity. */
const COPIED_PROBLEMS = new Set(['secret', 'mojibake', 'control-chars']);

/**
 * A structure warning (chat-role-order, an empty field, a TSV quote…): no change of a text removes
 * it, so every copy would repeat it. Noise warnings (a repetition, a short text) may go with the
 * change; a new row keeping one its source has adds nothing new, and one it lacks is refused.
 */
function copiedStructure(rule: string, severity: string): boolean {
  return severity !== 'info' && severity !== 'hint' && (RULES as Record<string, RuleInfo>)[rule]?.family === 'structure';
}

/** Rules whose findings a redaction (the quick fixes' [EMAIL], [CARD], [SECRET]…) removes. */
const isPrivacy = (rule: string) => rule === 'secret' || rule.startsWith('pii-');

/** What the rules found in a row. */
export interface RowVerdict {
  /** The rule that makes it unfit to copy (an error, a structure warning, personal data), if any. */
  rule?: string;
  /** Every rule with a finding in the row, sorted and joined by spaces (empty for none). */
  found: string;
  /** Its near-duplicate band keys (if the rules sketch rows). */
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

  /** A row's verdict: the first error, structure warning, credential, personal data or mojibake finding, every rule found, and its band keys (a copy). */
  check(row: SourceRow): RowVerdict {
    const { findings, bands } = this.analyzer.analyzeRow(row);
    let rule: string | undefined;
    const rules = new Set<string>();
    for (const f of findings) {
      rules.add(f.rule);
      if (rule === undefined && (f.severity === 'error' || COPIED_PROBLEMS.has(f.rule) || isPrivacy(f.rule) || copiedStructure(f.rule, f.severity))) rule = f.rule;
    }
    const verdict: RowVerdict = { found: [...rules].sort().join(' ') };
    if (rule !== undefined) verdict.rule = rule;
    if (bands) verdict.bands = bands.slice();
    return verdict;
  }

  /** The same check on a new row's value (its text is the value as JSON, which the rules locate in). */
  checkValue(value: Record<string, unknown>, index: number, line: number): RowVerdict {
    return this.check(asRow(value, index, line));
  }

  /**
   * A row's value with every credential and piece of personal data in its texts redacted as the
   * quick fixes do ([EMAIL], [CARD], [SECRET]…), with its verdict; undefined when the row cannot be
   * read or something else than privacy still makes it unfit once redacted.
   */
  redacted(row: SourceRow): { value: Record<string, unknown>; verdict: RowVerdict } | undefined {
    if (typeof row.value !== 'object' || row.value === null || Array.isArray(row.value) || row.problem) return undefined;
    const value = redactStrings(row.value) as Record<string, unknown>;
    const verdict = this.checkValue(value, row.index, row.line);
    return verdict.rule === undefined ? { value, verdict } : undefined;
  }
}

/** Every string in a JSON value redacted (keys stay). */
function redactStrings(value: unknown): unknown {
  if (typeof value === 'string') return redactPrivacy(value).text;
  if (Array.isArray(value)) return value.map(redactStrings);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v)]));
  return value;
}

function asRow(value: Record<string, unknown>, index: number, line: number): SourceRow {
  return { index, line, column: 1, text: JSON.stringify(value), value };
}
