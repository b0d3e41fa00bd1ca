/**
 * Precision and recall of the privacy rules on the PII/secret table (test/fixtures/privacy/table.ts):
 * texts with one piece of personal data or one credential each, and near misses written to fool the
 * rules (versions, dates, hashes, UUIDs, file names with @, ISBNs, order numbers, base64, identifiers
 * that start like a key). Each text is a row of one JSONL file checked by the whole engine in this
 * process; a rule's finding on a case of its kind is found, on anything else a false alarm.
 * Figures are given apart for the held-out cases, written after the rules were tuned on the rest:
 * they are the fair estimate. Targets: 0.95 or over for each rule and overall.
 */
import type { BenchSection } from "../lib/context";
import { round } from "../lib/table";
import { PRIVACY_RULES, PRIVACY_TABLE } from "../../test/fixtures/privacy/table";
import { scorePrivacy, type PrivacyScore, type RuleScore } from "../../test/fixtures/privacy/score";

const TARGET = 0.95;

function figures(s: RuleScore) {
  return { cases: s.cases, found: s.found, falseAlarms: s.falseAlarms, precision: round(s.precision, 3), recall: round(s.recall, 3) };
}

export const privacy: BenchSection = {
  id: "privacy",
  title: `privacy rules: precision and recall on the PII/secret table (targets ${TARGET} or over)`,
  async run(ctx) {
    const parts: [string, PrivacyScore][] = [
      ["all", scorePrivacy(PRIVACY_TABLE)],
      ["held out", scorePrivacy(PRIVACY_TABLE.filter((c) => c.heldOut))],
    ];
    const all = parts[0][1];
    ctx.print(`  ${all.hits} hits and ${all.nearMisses} near misses (${PRIVACY_TABLE.filter((c) => c.heldOut).length} of them held out)`);
    const row = (label: string, name: string, s: RuleScore) => [label, name, s.cases, s.found, s.falseAlarms, s.precision.toFixed(3), s.recall.toFixed(3)];
    const rows = PRIVACY_RULES.flatMap((rule) => parts.map(([name, s]) => row(rule, name, s.rules[rule])));
    for (const [name, s] of parts) rows.push(row("overall", name, s.overall));
    ctx.table(["rule", "of the cases", "hits", "found", "false alarms", "precision", "recall"], rows, { align: ["l", "l", "r", "r", "r", "r", "r"] });
    const met = PRIVACY_RULES.every((r) => all.rules[r].precision >= TARGET && all.rules[r].recall >= TARGET) && all.overall.precision >= TARGET && all.overall.recall >= TARGET;
    ctx.print(`  targets ${met ? "met" : "NOT met"} on all cases`);
    for (const m of all.missed) ctx.print(`  missed (${m.kind}): ${m.note}: ${JSON.stringify(m.text.slice(0, 80))}`);
    for (const w of all.wronglyFlagged) ctx.print(`  false alarm (${w.rules.join(", ")}): ${w.case.note}: ${JSON.stringify(w.case.text.slice(0, 80))}`);
    const summary = (s: PrivacyScore) => ({ overall: figures(s.overall), rules: Object.fromEntries(PRIVACY_RULES.map((r) => [r, figures(s.rules[r])])) });
    return { all: summary(all), heldOut: summary(parts[1][1]), targetsMet: met };
  },
};
