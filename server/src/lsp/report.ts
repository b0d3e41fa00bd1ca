import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile } from '../analyzeFile';
import {
  buildReport, buildSplitComparison, computeDiversity, datasetRowHashes, findSplitSiblings, readRowTexts, toBytes,
  type Config, type DatasetAnalysis, type QualityReport, type SplitInput,
} from '../engine';

/**
 * The quality report of a dataset the server holds: its live analysis (the editor's text when the
 * file is open), diversity from the same text, and the comparison with its train/val/test siblings.
 */
export async function fileReport(file: string, analysis: DatasetAnalysis, text: string | undefined, config: Config, siblingAnalysis: (file: string) => Promise<DatasetAnalysis | undefined>): Promise<QualityReport> {
  const bytes = text === undefined ? fs.readFileSync(file) : toBytes(text);
  const texts = (function* () {
    for (const row of readRowTexts(file, bytes, analysis)) yield row.text;
  })();
  const diversity = computeDiversity(texts, { totalRows: analysis.rows });
  const dir = path.dirname(file);
  const siblings = findSplitSiblings(path.basename(file), fs.readdirSync(dir));
  let splits;
  if (siblings.length) {
    const inputs: SplitInput[] = [];
    for (const { split, name } of siblings) {
      const full = path.join(dir, name);
      const own = full === file;
      const a = own ? analysis : ((await siblingAnalysis(full)) ?? (await analyzeFile(full, full, config)));
      inputs.push({ split, report: buildReport(a, { config, examplesPerRule: 0 }), hashes: datasetRowHashes(a, own ? bytes : undefined) });
    }
    splits = buildSplitComparison(inputs);
  }
  return buildReport(analysis, { config, diversity, splits, generatedAt: new Date().toISOString() });
}
