import type { CodeLens } from 'vscode-languageserver';
import { COMMANDS } from '../protocol';
import type { Analyzed } from './datasets';
import { formatCount as fmt } from '../engine';

/** The summary lens above line 1: format · rows · labels · findings, the report and the rows' table. */
export function codeLenses(doc: Analyzed): CodeLens[] {
  const a = doc.analysis;
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const labels = a.stats.labels.length;
  // A file with no rows has nothing to score: it says so rather than "0/100" beside no findings.
  const title = a.rows === 0 ? 'Tuneset: no rows yet' : [
    `Tuneset: ${a.format}`,
    `${fmt(a.rows)} rows`,
    ...(labels ? [`${fmt(labels)} label${labels === 1 ? '' : 's'}`] : []),
    `${fmt(a.findings.length)} finding${a.findings.length === 1 ? '' : 's'}`,
    `quality ${a.stats.quality.score}/100`,
  ].join(' · ');
  // How the file was read, where a person should confirm it (guessed fields, no header row), in a
  // few words: the lens opens Tuneset's settings, where a guess is overridden; the whole sentences
  // are in the file summary and the command line's output.
  const notes = a.notes?.length
    ? [{ range, command: { title: `Read as: ${a.notes.map((n) => n.brief).join(' · ')}`, command: 'workbench.action.openSettings', arguments: ['tuneset.'] } }]
    : [];
  return [
    { range, command: { title, command: COMMANDS.showFileSummary, arguments: [doc.uri] } },
    { range, command: { title: 'Open report', command: COMMANDS.showReport, arguments: [doc.uri] } },
    { range, command: { title: 'Browse rows', command: COMMANDS.openDatasetView, arguments: [doc.uri] } },
    ...notes,
  ];
}
