import { z } from 'zod';
import { parseConfig, type Config } from '../engine';
import { compileGlob, globProblem, type GlobMatcher } from './glob';

/** Editor-only settings beside the engine's (which parseConfig validates). */
const editorSchema = z.object({
  exclude: z.array(z.string()).default([]),
  maxDiagnosticsPerFile: z.number().int().min(1).default(1000),
  debounceMs: z.number().int().min(0).max(5000).default(150),
});

export type EditorSettings = z.infer<typeof editorSchema>;

export interface Settings {
  config: Config;
  editor: EditorSettings;
  /** files.exclude globs that are switched on (those that can be used). */
  filesExclude: string[];
  /** The files the workspace check skips: files.exclude and tuneset.exclude, compiled. */
  excludes: GlobMatcher[];
  problems: string[];
}

const EDITOR_KEYS = ['exclude', 'maxDiagnosticsPerFile', 'debounceMs'];

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
  const { config, problems } = parseConfig(raw);
  let editor = editorSchema.parse({});
  const parsed = editorSchema.safeParse(editorRaw);
  if (parsed.success) editor = parsed.data;
  else for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}; using the default`);
  const shown = problems.map((p) => `tuneset.${p}`);
  editor = { ...editor, exclude: usableGlobs('tuneset.exclude', editor.exclude, shown) };
  const files = usableGlobs('files.exclude', Object.entries(filesExclude ?? {}).filter(([, on]) => on === true).map(([glob]) => glob), shown);
  return { config, editor, filesExclude: files, excludes: [...files, ...editor.exclude].map(compileGlob), problems: shown };
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
