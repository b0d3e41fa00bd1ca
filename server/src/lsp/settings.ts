import { z } from 'zod';
import type { Config } from '../engine';
import { loadConfig, workspaceFolderOf } from '../host/config';
import { compileGlob, globProblem, type GlobMatcher } from './glob';

/** Editor-only settings beside the engine's (which parseConfig validates). */
const editorSchema = z.object({
  exclude: z.array(z.string()).default([]),
  maxDiagnosticsPerFile: z.number().int().min(1).default(1000),
  debounceMs: z.number().int().min(0).max(5000).default(150),
  /** Classification documents of at most this many rows get the label model in the background (0: none). */
  labelModelMaxRows: z.number().int().min(0).default(50000),
});

export type EditorSettings = z.infer<typeof editorSchema>;

export interface Settings {
  /** The engine's settings from the editor alone (a dataset's own are DatasetConfigs'). */
  config: Config;
  /** The editor's `tuneset.*` values of the engine's settings, as given (unset ones left out): loadConfig's editor layer. */
  engine: Record<string, unknown>;
  editor: EditorSettings;
  /** files.exclude globs that are switched on (those that can be used). */
  filesExclude: string[];
  /** The files the workspace check skips: files.exclude and tuneset.exclude, compiled. */
  excludes: GlobMatcher[];
  problems: string[];
}

const EDITOR_KEYS = ['exclude', 'maxDiagnosticsPerFile', 'debounceMs', 'labelModelMaxRows'];

/** Splits the `tuneset.*` settings object into the engine's config and the editor's own, validating both. */
export function readSettings(tuneset: Record<string, unknown> | null | undefined, filesExclude: Record<string, unknown> | null | undefined): Settings {
  const raw = { ...(tuneset ?? {}) };
  const editorRaw: Record<string, unknown> = {};
  for (const k of EDITOR_KEYS) {
    if (k in raw) editorRaw[k] = raw[k];
    delete raw[k];
  }
  // VS Code hands unset optional strings over as null or "".
  for (const k of Object.keys(raw)) if (raw[k] === null || raw[k] === '') delete raw[k];
  // The engine's settings from the editor alone; a dataset's own (with its tuneset.json) come from DatasetConfigs.
  const { config, problems: shown } = loadConfig({ editor: raw });
  let editor = editorSchema.parse({});
  const parsed = editorSchema.safeParse(editorRaw);
  if (parsed.success) editor = parsed.data;
  else for (const issue of parsed.error.issues) shown.push(`tuneset.${issue.path.join('.')}: ${issue.message}; using the default`);
  editor = { ...editor, exclude: usableGlobs('tuneset.exclude', editor.exclude, shown) };
  const files = usableGlobs('files.exclude', Object.entries(filesExclude ?? {}).filter(([, on]) => on === true).map(([glob]) => glob), shown);
  return { config, engine: raw, editor, filesExclude: files, excludes: [...files, ...editor.exclude].map(compileGlob), problems: shown };
}

/**
 * The engine's settings of each dataset, as loadConfig merges them: the editor's, under the tuneset.json
 * at the root of the workspace folder holding the dataset (so the editor reads a file as CI does).
 * Kept per workspace folder until the settings or a tuneset.json change.
 */
export class DatasetConfigs {
  private readonly byFolder = new Map<string, { config: Config; problems: string[] }>();

  constructor(private readonly settings: Settings, private readonly workspaceFolders: readonly string[]) {}

  /** The settings a dataset file is read with. */
  of(file: string): Config {
    return this.loaded(workspaceFolderOf(file, this.workspaceFolders)).config;
  }

  /** The settings of the workspace as a whole (the cross-file leak check's): its first folder's. */
  get workspace(): Config {
    return this.loaded(this.workspaceFolders[0]).config;
  }

  /** Every problem of the settings: the editor's and those of each workspace folder's tuneset.json. */
  problems(): string[] {
    for (const folder of this.workspaceFolders) this.loaded(folder);
    return [...new Set([...this.settings.problems, ...[...this.byFolder.values()].flatMap((l) => l.problems)])];
  }

  private loaded(folder: string | undefined): { config: Config; problems: string[] } {
    if (folder === undefined) return { config: this.settings.config, problems: [] };
    let loaded = this.byFolder.get(folder);
    if (!loaded) this.byFolder.set(folder, (loaded = loadConfig({ editor: this.settings.engine, folder })));
    return loaded;
  }
}

/**
 * The globs of a setting that can be used. One that cannot (`[z-a]`) is left out with a warning
 * instead of stopping the server: it excludes nothing, as if it were not there, and the others apply.
 */
function usableGlobs(setting: string, globs: string[], problems: string[]): string[] {
  return globs.filter((glob) => {
    const problem = globProblem(glob);
    if (problem) problems.push(`${setting}: "${glob}" is not a usable glob (${problem}); it is ignored, the other globs apply`);
    return !problem;
  });
}

/** True when a relative path (or any of its parent folders) matches one of the globs. */
export function isExcluded(relative: string, globs: GlobMatcher[]): boolean {
  const parts = relative.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (globs.some((g) => g.test(prefix))) return true;
  }
  return false;
}
