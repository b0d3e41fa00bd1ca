import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Finding, Severity } from '../../server/src/engine';
import { shownFindings } from '../../server/src/lsp/convert';

/** The cap's choice, as it was first written: sort by severity, then line order; keep the first `cap`; back to line order. */
function byFullSort(findings: Finding[], cap: number): number[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };
  const order = findings.map((_, i) => i);
  order.sort((a, b) => rank[findings[a].severity] - rank[findings[b].severity] || a - b);
  return order.slice(0, cap).sort((a, b) => a - b);
}

test('shownFindings picks the same findings as sorting by severity, then line', () => {
  const severity = fc.constantFrom<Severity>('error', 'warning', 'info', 'hint');
  fc.assert(
    fc.property(fc.array(severity, { maxLength: 60 }), fc.integer({ min: 1, max: 70 }), (severities, cap) => {
      const findings = severities.map((s, i) => ({ rule: 'whitespace', severity: s, message: '', line: i + 1, column: 1, endLine: i + 1, endColumn: 2 }) as Finding);
      assert.deepEqual(shownFindings(findings, cap), byFullSort(findings, cap));
    }),
    { numRuns: 3000 },
  );
});
