import * as fs from 'node:fs';
import * as path from 'node:path';
import { findSplitManifest, readSplitManifest } from '../../host/splitManifest';
import {
  AUGMENT_OPERATIONS, MODEL_OPERATIONS, OptionsError, augmentedFileName, datasetSource, planAugmentation, renderAugmentedPieces,
  type Augmentation, type AugmentOperation, type AugmentOptions, type AugmentedRow, type Config, type SourceRow, type SynonymProvider,
} from '../../engine';
import { AugmentFormRequest, AugmentPreviewRequest, AugmentWriteRequest, type AugmentChoices, type AugmentPreview } from '../../protocol';
import { InputError } from '../../host/errors';
import { translateReasonList } from '../../host/l10n';
import { largeRunRefusal, noUsableRows } from '../../host/refusals';
import { loadPolarWords, loadTagger, loadWordNet } from '../../host/wordnet';
import { answer, filePath, panelDataset, progressOf, writeNewFiles, type PanelConnection } from './common';
import { describeEstimate, endpointOptions, endpointProblems, estimateRewrites, fetchRewrites, rewriteLookup, type ModelOperation, type RewriteRun } from '../../host/rewrites';
import type { CancellationToken } from 'vscode-languageserver/node';

/** Rows the preview augments, spread over the file (the write augments them all). */
export const PREVIEW_SAMPLE_ROWS = 200;
/** New rows the page shows beside their source. */
const SHOWN_ROWS = 20;

/** The augment panel's requests: its form, a preview of a sample of rows per change of the choices, and the write. */
export function registerAugmentRequests(connection: PanelConnection, host: { configOf(file: string): Config; translate?: (message: string) => string }): void {
  const translate = host.translate ?? ((m: string) => m);
  let synonyms: SynonymProvider | undefined;
  // WordNet is read once, and only when an operation needs synonyms.
  const withSynonyms = (c: AugmentChoices) => (c.operations.includes('sr') || c.operations.includes('ri') ? (synonyms ??= loadWordNet()) : undefined);
  let words: Pick<AugmentOptions, 'tagger' | 'polarWords'> | undefined;
  // The tagger and the sentiment lexicon are read once, on the first preview.
  const wordTools = () => (words ??= { tagger: loadTagger(), polarWords: loadPolarWords() });

  connection.onRequest(AugmentFormRequest.type, ({ uri }, token) =>
    answer(token, () => {
      const file = filePath(uri);
      // A file that was split is augmented through its train split; held-out splits are never sources.
      const found = findSplitManifest(file);
      if (found?.role === 'held-out') return { heldOutOf: found.manifest };
      const source = found ? readSplitManifest(found.manifest).input : file;
      const defaults: AugmentChoices = { operations: ['sr', 'ri', 'rs', 'rd'], alpha: 0.1, n: 1, balance: 'none', target: 0, seed: 7, provenanceField: 'augmented_from' };
      return { source, ...(found ? { manifest: found.manifest } : {}), format: panelDataset(source, host.configOf(source)).dataset.detection.format, operations: Object.fromEntries(Object.entries(AUGMENT_OPERATIONS).map(([op, name]) => [op, translate(name)])) as Record<AugmentOperation, string>, defaults };
    }),
  );

  connection.onRequest(AugmentPreviewRequest.type, ({ uri, choices, apiKey }, token) =>
    answer(token, async () => {
      const file = filePath(uri);
      const entry = panelDataset(file, host.configOf(file));
      const rows = entry.memo('rows', () => [...entry.dataset.reader.rows()]);
      const sample = sampleIndexes(rows, choices.seed);
      const model = modelRun(choices, host.configOf(file), apiKey);
      const augmentation = planAugmentation(rows, { ...options(file, choices, withSynonyms(choices), entry.dataset.detection, host.configOf), ...wordTools(), sample, ...model.options });
      // What the whole write would ask the endpoint (said before it is asked), then the sample's rewrites.
      const estimate = model.ops.length ? describeEstimate(estimateRewrites(augmentation.textsToRewrite((i) => rows[i], true), model.ops, model.endpoint), model.endpoint) : undefined;
      const fetched = await model.fetch(augmentation.textsToRewrite((i) => rows[i]), token);
      const made = [...augmentation.newRows((i) => rows[i])];
      const summary = augmentation.summary();
      const preview: AugmentPreview = {
        samples: spread(made, SHOWN_ROWS).flatMap((r) => r.parts.slice(0, 1).map((p) => ({
          line: r.sourceLine, label: r.label, operation: translate(AUGMENT_OPERATIONS[r.operation]), code: r.operation, field: p.field, original: p.original, augmented: p.text, changed: p.changed,
        }))),
        byOperation: countBy(made.map((r) => r.operation)),
        before: summary.labels.before,
        after: augmentation.plannedLabels(),
        newRows: augmentation.asked,
        unchanged: summary.unchanged.map((u) => ({ line: u.line, reason: translateReasonList(translate, u.reason) })),
        leaks: summary.leaks,
        // What the write would refuse is said with the preview (the write then says it again, writing nothing).
        warnings: [
          ...(estimate ? [estimate] : []),
          // Each endpoint error translated on its own (a list joined by "; " matches no one template).
          ...(fetched?.failed ? [`Texts without a rewrite from the endpoint: ${fetched.failed} (${fetched.errors.map(translate).join('; ')})`] : []),
          ...summary.warnings,
          ...refusals(file, augmentation, choices),
        ].map(translate),
        output: path.join(path.dirname(file), augmentedFileName(path.basename(file))),
        sampled: sample.length,
        rows: augmentation.rowCount,
      };
      return { preview };
    }),
  );

  connection.onRequest(AugmentWriteRequest.type, (params, token) =>
    answer(token, async () => {
      const file = filePath(params.uri);
      const { dataset } = panelDataset(file, host.configOf(file));
      const model = modelRun(params.choices, host.configOf(file), params.apiKey);
      const augmentation = planAugmentation(dataset.reader.rows(), { ...options(file, params.choices, withSynonyms(params.choices), dataset.detection, host.configOf), ...wordTools(), reject: params.choices.rejected ?? [], ...model.options });
      // As the CLI's augment: no file without a usable row, no run so large it is most likely a mistyped count (refused before the endpoint is asked).
      const refused = refusals(file, augmentation, params.choices);
      if (refused.length) throw new InputError(refused[0]);
      await model.fetch(augmentation.textsToRewrite((i) => dataset.reader.row(i)!), token);
      let at = 0;
      const rowAt = (i: number): SourceRow => {
        at = i;
        return dataset.reader.row(i)!;
      };
      const source = datasetSource(path.basename(file), dataset.reader, dataset.bytes);
      const out = renderAugmentedPieces(augmentation, augmentation.newRows(rowAt), source);
      const { heldOut, manifest } = splitOf(file);
      return writeNewFiles([{ path: path.join(path.dirname(file), out.name), pieces: out.pieces }], {
        inputs: [file, ...heldOut, ...(manifest ? [manifest] : [])],
        overwrite: params.overwrite,
        token,
        progress: progressOf(connection, params),
        title: translate('Tuneset: writing the augmented file'),
        rows: () => {
          const s = augmentation.summary();
          return s.made - s.leaks;
        },
        part: () => at / Math.max(1, augmentation.rowCount),
      });
    }),
  );
}

/** What the CLI's augment would refuse of this run (the panel has no --force-large: the CLI makes such runs). */
function refusals(file: string, augmentation: Augmentation, c: AugmentChoices): string[] {
  if (!augmentation.kept.length) return [noUsableRows(file, augmentation.rowCount, augmentation.excluded).message];
  const asking = c.balance === 'target' && c.target > 0 ? `a target of ${c.target.toLocaleString('en-US')} rows per label` : c.balance !== 'none' ? 'balancing' : `${c.n} new row${c.n === 1 ? '' : 's'} per row`;
  const large = largeRunRefusal(file, augmentation, asking, 'choose fewer, or make them with `tuneset augment --force-large`');
  return large ? [large] : [];
}

/** The split manifest naming a train split, and its other splits (checked for leaks, never written over). */
function splitOf(file: string): { heldOut: string[]; manifest?: string } {
  const found = findSplitManifest(file);
  if (found?.role !== 'train') return { heldOut: [] };
  return { heldOut: readSplitManifest(found.manifest).heldOut, manifest: found.manifest };
}

/**
 * Back-translation and paraphrase for a request: the endpoint settings (the key from the editor's
 * secret storage, else the environment variable augment.apiKeyEnv names), the engine's lookup, and
 * the fetch of a plan's texts (cached on disk, so a second preview or the write after a preview asks
 * again only for what it has not seen). Nothing when neither is chosen.
 */
function modelRun(c: AugmentChoices, config: Config, apiKey: string | undefined) {
  const ops = c.operations.filter((op): op is ModelOperation => MODEL_OPERATIONS.includes(op));
  const endpoint = endpointOptions(config, apiKey || process.env[config.augment.apiKeyEnv]);
  const run: Pick<RewriteRun, 'rewrites'> = { rewrites: new Map() };
  if (ops.length) {
    const problems = endpointProblems(endpoint);
    if (problems.length) throw new OptionsError(problems);
  }
  return {
    ops,
    endpoint,
    options: ops.length ? { rewrites: rewriteLookup(run) } : {},
    async fetch(texts: string[], token: CancellationToken): Promise<RewriteRun | undefined> {
      if (!ops.length) return undefined;
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      try {
        const fetched = await fetchRewrites(texts, ops, endpoint, abort.signal);
        run.rewrites = fetched.rewrites;
        return fetched;
      } finally {
        listener.dispose();
      }
    },
  };
}

function options(file: string, c: AugmentChoices, synonyms: SynonymProvider | undefined, detection: AugmentOptions['detection'], configOf: (file: string) => Config): AugmentOptions {
  if (c.rejected?.length && c.operations.every((op) => c.rejected!.includes(op))) throw new OptionsError(['every chosen operation is rejected: nothing would be written']);
  const heldOut = splitOf(file).heldOut.filter((f) => fs.existsSync(f));
  const o: AugmentOptions = {
    operations: c.operations, alpha: c.alpha, n: c.n, seed: c.seed,
    provenanceField: c.provenanceField.trim() ? c.provenanceField.trim() : null,
    detection,
    config: configOf(file),
    redact: configOf(file).augment.redact,
    heldOut: heldOut.map((f) => {
      const entry = panelDataset(f, configOf(f));
      return { file: path.basename(f), rows: entry.memo('rows', () => [...entry.dataset.reader.rows()]) };
    }),
  };
  if (synonyms) o.synonyms = synonyms;
  if (c.balance !== 'none') o.balance = { method: c.balance === 'downsample' ? 'downsample' : 'augment', ...(c.balance === 'target' && c.target > 0 ? { target: c.target } : {}) };
  return o;
}

function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of items) out[x] = (out[x] ?? 0) + 1;
  return out;
}

/** PREVIEW_SAMPLE_ROWS usable rows spread over the file, the same ones for the same seed. */
function sampleIndexes(rows: SourceRow[], seed: number): number[] {
  const usable = rows.filter((r) => r.value !== undefined).map((r) => r.index);
  if (usable.length <= PREVIEW_SAMPLE_ROWS) return usable;
  const step = usable.length / PREVIEW_SAMPLE_ROWS;
  const offset = (Number.isSafeInteger(seed) && seed >= 0 ? seed : 0) % Math.max(1, Math.floor(step));
  return Array.from({ length: PREVIEW_SAMPLE_ROWS }, (_, i) => usable[Math.min(usable.length - 1, Math.floor(i * step) + offset)]);
}

/** At most `k` of the new rows, spread over them (so the page shows rows from all over the file). */
function spread(rows: AugmentedRow[], k: number): AugmentedRow[] {
  if (rows.length <= k) return rows;
  return Array.from({ length: k }, (_, i) => rows[Math.floor((i * rows.length) / k)]);
}
