import { OptionsError, type Config } from '../engine';
import { formatCount as fmt } from '../engine';
import { loadConfig } from '../host/config';
import { InputError } from '../host/errors';
import { READING_OPTIONS, readingOverrides } from './readingOptions';
import { cliTranslator, errorLine } from './lang';

/** What the commands share: their settings options, errors, and small parsers of option values. */

/** Bad usage of the command line (an unknown option value, a missing file): "tuneset: …", exit code 2. */
export class UsageError extends InputError {}

/** The options that say how a dataset is read, which every command takes (see loadConfig). */
export const SETTINGS_OPTIONS = {
  config: { type: 'string' },
  'text-field': { type: 'string' },
  'label-field': { type: 'string' },
  'format-hint': { type: 'string' },
  ...READING_OPTIONS,
} as const;

/** The options every one-file command takes: where to write, overwriting, settings, help. */
export const FILE_COMMAND_OPTIONS = {
  out: { type: 'string' },
  force: { type: 'boolean', default: false },
  ...SETTINGS_OPTIONS,
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The settings options' values as parseArgs gives them (--max-tokens only for the commands that take it). */
export interface SettingsOptionValues {
  config?: string;
  'text-field'?: string;
  'label-field'?: string;
  'format-hint'?: string;
  'max-tokens'?: string;
  header?: boolean;
  'no-header'?: boolean;
  columns?: string;
}

/**
 * A command's settings: loadConfig's defaults < tuneset.json (--config, else the working folder's) <
 * flags. Any problem (a bad value, a settings file that cannot be read) stops the command: a run with
 * other settings than the user wrote would pass or fail for the wrong reasons.
 */
export function commandConfig(values: SettingsOptionValues): Config {
  const maxTokens = values['max-tokens'] === undefined ? undefined : Number(values['max-tokens']);
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens > 0)) throw new UsageError(`--max-tokens must be a positive whole number, not "${values['max-tokens']}"`);
  const { config, problems } = loadConfig({
    file: values.config,
    folder: process.cwd(),
    flags: { textField: values['text-field'], labelField: values['label-field'], format: values['format-hint'], maxTokens, ...readingOverrides(values) },
  });
  if (problems.length) throw new UsageError(problems.join('\n'));
  return config;
}

/** Splits a comma-separated option value into trimmed, non-empty items. */
export function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A whole number option, or an InputError naming the option. */
export function wholeNumber(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new InputError(`--${name} must be a whole number of at least ${min}, not "${value}"`);
  return n;
}

/** Runs a command body, turning InputErrors (UsageErrors too) and the engine's OptionsErrors into a message and exit code 2. */
export async function runCommand(body: () => Promise<number> | number): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof InputError || e instanceof OptionsError) {
      // Several problems are said each in the command line's language (a template matches one, not their join).
      process.stderr.write(e instanceof OptionsError && e.problems.length > 1 ? errorLine(e.problems.map((p) => cliTranslator().message(p)).join('; ')) : errorLine(e.message));
      return 2;
    }
    throw e;
  }
}

/** "positive 400 · negative 380" for a label count record. */
export function labelSummary(labels: Record<string, number>): string {
  const entries = Object.entries(labels).filter(([, n]) => n > 0);
  return entries.length ? entries.map(([l, n]) => `${l} ${fmt(n)}`).join(' · ') : '(no labels)';
}

export { fmt };
