import type { CodeLens } from 'vscode-languageserver';
import { COMMANDS } from '../protocol';
import type { Analyzed } from './datasets';
import { formatCount as fmt } from '../engine';
import { translator, type Translator } from '../host/l10n';

/** The summary lens above line 1: format · rows · labels · languages (when not all Latin script) · findings, the report and the rows' table. */
export function codeLenses(doc: Analyzed, tr: Translator = translator('en')): CodeLens[] {
  const a = doc.analysis;
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const labels = a.stats.labels.length;
  // A file with no rows has nothing to score: it says so rather than "0/100" beside no findings.
  const title = a.rows === 0 ? 'Tuneset: no rows yet' : [
    `Tuneset: ${a.format}`,
    tr.t('{0} rows', fmt(a.rows)),
    ...(labels ? [tr.t(labels === 1 ? '{0} label' : '{0} labels', fmt(labels))] : []),
    // The languages when any script but Latin is there (a Chinese file, an English answer among them).
    ...(a.stats.languages.some((l) => l.name !== 'Latin script') ? [a.stats.languages.slice(0, 2).map((l) => `${tr.t(l.name)} ${Math.round(l.share * 100)}%`).join(', ')] : []),
    tr.t(a.findings.length === 1 ? '{0} finding' : '{0} findings', fmt(a.findings.length)),
    tr.t('quality {0}/100', a.stats.quality.score),
  ].join(' · ');
  // How the file was read, where a person should confirm it (guessed fields, no header row), in a
  // few words: the lens opens Tuneset's settings, where a guess is overridden; the whole sentences
  // are in the file summary and the command line's output.
  const notes = a.notes?.length
    ? [{ range, command: { title: tr.t('Read as: {0}', a.notes.map((n) => tr.message(n.brief)).join(' · ')), command: 'workbench.action.openSettings', arguments: ['tuneset.'] } }]
    : [];
  return [
    { range, command: { title, command: COMMANDS.showFileSummary, arguments: [doc.uri] } },
    { range, command: { title: tr.t('Open report'), command: COMMANDS.showReport, arguments: [doc.uri] } },
    { range, command: { title: tr.t('Browse rows'), command: COMMANDS.openDatasetView, arguments: [doc.uri] } },
    ...notes,
  ];
}
