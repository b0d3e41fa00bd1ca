import { formatCount, formatShare, kappaPhrase, type AnnotatorAgreement } from '../engine';
import { translator, type Translator } from '../host/l10n';

/**
 * A file's label quality (the JSON contract's `labelQuality`) in one line for the editor: the file
 * summary, the status bar's tooltip and the hover. The label model's part (its noise ratio, or why it
 * did not run) and annotator agreement are apart, so agreement is said when the model did not run too.
 */

const percent = formatShare;

/** What the label model said: its noise ratio, that it reports nothing, or why it did not run. */
export function labelModelSentence(q: Record<string, unknown> | undefined, tr: Translator = translator('en')): string | undefined {
  if (!q) return undefined;
  const model = q.model as { ok: boolean; reason?: string };
  if (!model.ok) return tr.t('label model not run: {0}', tr.message(model.reason ?? ''));
  if (typeof q.withheld === 'string') return tr.t('label model: no label errors reported: {0}', tr.message(q.withheld));
  const e = q.labelErrors as { noiseRatio: number; estimatedNoiseRatio: number; noisyRows: number; checkedRows: number } | undefined;
  if (!e) return undefined;
  return tr.t('label noise ratio {0} ({1} of {2} rows flagged; estimated {3} of labels wrong)', percent(e.noiseRatio), formatCount(Number(q.findings ?? e.noisyRows)), formatCount(e.checkedRows), percent(e.estimatedNoiseRatio));
}

/** Annotator agreement (consistency and κ, as the CLI's summary says them), or undefined when the file has no annotators. */
export function agreementSentence(q: Record<string, unknown> | undefined, tr: Translator = translator('en')): string | undefined {
  const a = q?.agreement as AnnotatorAgreement | undefined;
  if (!a) return undefined;
  const kappa = kappaPhrase(a, tr.t('κ undefined'));
  return tr.t(a.disagreements.length === 1
    ? '{0} annotators agree on {1} of {2} rows (consistency); {3} ({4}); {5} row with differing labels'
    : '{0} annotators agree on {1} of {2} rows (consistency); {3} ({4}); {5} rows with differing labels',
  a.annotators, percent(a.percentAgreement), formatCount(a.rows), kappa, tr.message(a.strength), formatCount(a.disagreements.length));
}

/** Both, in one line (the file summary and the status bar). */
export function labelQualitySentence(q: Record<string, unknown> | undefined, tr: Translator = translator('en')): string | undefined {
  const parts = [labelModelSentence(q, tr), agreementSentence(q, tr)].filter((s): s is string => s !== undefined);
  return parts.length ? parts.join(' · ') : undefined;
}
