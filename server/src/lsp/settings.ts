import { z } from 'zod';
import { parseConfig, type Config } from '../engine';

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
  /** files.exclude globs that are switched on. */
  filesExclude: string[];
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
  const excludes = Object.entries(filesExclude ?? {}).filter(([, on]) => on === true).map(([glob]) => glob);
  return { config, editor, filesExclude: excludes, problems: problems.map((p) => `tuneset.${p}`) };
}

/** A glob (**, *, ?, {a,b}, [abc]) as a regular expression over '/'-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${glob.slice(i + 1, end).split(',').map((p) => globToRegExp(p).source.slice(1, -1)).join('|')})`;
        i = end;
      }
    } else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += glob.slice(i, end + 1);
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** True when a relative path (or any of its parent folders) matches one of the globs. */
export function isExcluded(relative: string, globs: RegExp[]): boolean {
  const parts = relative.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (globs.some((g) => g.test(prefix))) return true;
  }
  return false;
}
