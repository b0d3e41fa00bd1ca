import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig, type Config } from '../engine';
import { isInside } from './outputPaths';

/**
 * One way in for settings: every command of the CLI, the language server and the editor's panels get
 * their engine settings from loadConfig, so a dataset is read the same way wherever it is checked.
 *
 * The layers, each overriding the ones before it:
 *
 *   defaults  <  editor settings (`tuneset.*`)  <  tuneset.json  <  command-line flags
 *
 * tuneset.json sits above the editor's settings because it is the project's, committed beside the data
 * and read by CI: with it the editor and CI agree on a file; an editor setting fills in what the project
 * leaves open. A flag is what a person asked for on this one run. `rules`, `thresholds` and `augment` merge key by
 * key (a tuneset.json that turns one rule off keeps the editor's setting of another); every other
 * setting is replaced whole. tuneset.json is the one named by --config, else the one in the folder the
 * CLI runs in; in the editor, the one at the root of the workspace folder holding the dataset (where CI
 * runs `tuneset check`).
 */

/** The settings file's name. */
export const SETTINGS_FILE = 'tuneset.json';

/** Settings from each source; an absent source adds nothing. */
export interface ConfigSources {
  /** The editor's `tuneset.*` settings (the engine's keys; the editor's own, such as debounceMs, are left to it). */
  editor?: Record<string, unknown> | null;
  /** A settings file named explicitly (--config): it must exist. */
  file?: string;
  /** Otherwise, the folder whose tuneset.json applies, if it has one. */
  folder?: string;
  /** Command-line flags; an undefined value was not given. */
  flags?: Record<string, unknown>;
}

export interface LoadedConfig {
  config: Config;
  /** The settings file that was read, when there was one. */
  file?: string;
  /**
   * One sentence per problem, naming where it is: `tuneset.KEY: …` (editor), `FILE: KEY: …` (the settings
   * file, including one that cannot be read or is not JSON), `options: KEY: …` (flags). A bad value falls back
   * to its default; the CLI refuses to run with any problem, the editor shows them and goes on.
   */
  problems: string[];
}

/** Keys whose values merge key by key across the layers. */
const MERGED_KEYS = new Set(['rules', 'thresholds', 'augment']);

/** The settings of defaults, editor, tuneset.json and flags merged in that order (see above); never throws. */
export function loadConfig(sources: ConfigSources): LoadedConfig {
  const problems: string[] = [];
  const editor = withoutUnset(sources.editor ?? {});
  const file = sources.file ?? settingsFileIn(sources.folder);
  const shownFile = file === undefined ? undefined : shownPath(file);
  const fromFile = file === undefined ? {} : readSettingsFile(file, shownFile!, problems);
  const flags = Object.fromEntries(Object.entries(sources.flags ?? {}).filter(([, v]) => v !== undefined));
  // Each layer is checked on its own, so a problem names where the bad value is.
  const layers: [Record<string, unknown>, (p: string) => string][] = [
    [editor, (p) => `tuneset.${p}`],
    [fromFile, (p) => `${shownFile}: ${p}`],
    [flags, (p) => `options: ${p}`],
  ];
  for (const [layer, where] of layers) if (Object.keys(layer).length) problems.push(...parseConfig(layer).problems.map(where));
  const merged: Record<string, unknown> = {};
  for (const [layer] of layers) {
    for (const [key, value] of Object.entries(layer)) {
      merged[key] = MERGED_KEYS.has(key) && isObject(value) && isObject(merged[key]) ? { ...merged[key], ...value } : value;
    }
  }
  // The merged settings' problems are the layers' (each value is checked alone), already said above.
  return { config: parseConfig(merged).config, ...(file !== undefined && fs.existsSync(file) ? { file } : {}), problems };
}

/**
 * The settings of a dataset in the editor: its editor settings under the tuneset.json at the root of
 * the workspace folder that holds it (the innermost, when folders nest); a file in no workspace folder
 * gets the editor's settings alone. The language server and the panels' handlers use this.
 */
export function configForDataset(dataset: string, editor: Record<string, unknown> | null | undefined, workspaceFolders: readonly string[]): LoadedConfig {
  return loadConfig({ editor, folder: workspaceFolderOf(dataset, workspaceFolders) });
}

/** The innermost workspace folder that holds a file, or undefined. */
export function workspaceFolderOf(file: string, workspaceFolders: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const folder of workspaceFolders) if (isInside(file, folder) && (best === undefined || folder.length > best.length)) best = folder;
  return best;
}

function settingsFileIn(folder: string | undefined): string | undefined {
  if (folder === undefined) return undefined;
  const file = path.join(folder, SETTINGS_FILE);
  return fs.existsSync(file) ? file : undefined;
}

function readSettingsFile(file: string, shown: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    problems.push(`${shown}: cannot read the settings file${(e as NodeJS.ErrnoException).code === 'ENOENT' ? ' (no such file)' : ''}`);
    return {};
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    problems.push(`${shown}: not valid JSON (${(e as Error).message})`);
    return {};
  }
  if (!isObject(doc)) {
    problems.push(`${shown}: settings: Expected object, received ${Array.isArray(doc) ? 'array' : doc === null ? 'null' : typeof doc}`);
    return {};
  }
  return doc;
}

/** A settings file as messages name it: relative to the working folder when it is below it, else whole. */
function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

/** VS Code hands unset optional settings over as null or "": they are not given. */
function withoutUnset(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== null && v !== ''));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
