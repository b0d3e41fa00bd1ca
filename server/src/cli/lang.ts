import { LOCALES, localeFromEnv, resolveLocale, translator, type Locale, type Translator } from '../host/l10n';
import { InputError } from '../host/errors';
import HELP_ZH_CN from '../../../l10n/cli.help.zh-cn.json';

/**
 * The command line's language: `--lang zh-cn|en` (any command), else the environment's locale
 * (LC_ALL, LC_MESSAGES, LANG). Findings, summaries and reading notes are said in it; the JSON and
 * SARIF outputs keep the engine's English `message` (a contract scripts read, whatever the machine's
 * locale), and JSON adds `localizedMessage` when the language is not English.
 */
let current: Translator = translator('en');

export function cliTranslator(): Translator {
  return current;
}

/** Takes `--lang X` / `--lang=X` out of the arguments and sets the language from it or the environment. */
export function takeLangFlag(argv: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const rest: string[] = [];
  let asked: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--lang') {
      if (i + 1 >= argv.length) throw new InputError(`--lang needs a language: ${LOCALES.join(' or ')}`);
      asked = argv[++i];
    } else if (a.startsWith('--lang=')) asked = a.slice('--lang='.length);
    else rest.push(a);
  }
  let locale: Locale;
  if (asked === undefined) locale = localeFromEnv(env);
  else {
    const normal = asked.toLowerCase().replace(/_/g, '-');
    if (!(LOCALES as readonly string[]).includes(normal) && normal !== 'zh') throw new InputError(`--lang must be ${LOCALES.join(' or ')}, not "${asked}"`);
    locale = resolveLocale(normal);
  }
  current = translator(locale);
  return rest;
}

/** A page of the command line's help: the top level's or a command's. */
export type HelpPage = 'tuneset' | 'check' | 'report' | 'split' | 'augment';

/**
 * A help page in the command line's language: the English as the command declares it, or its whole
 * translation from l10n/cli.help.zh-cn.json ("{reading}": the reading options' lines; other "{name}"
 * placeholders from `values`). A test holds each translation to the options its English names.
 */
export function helpText(page: HelpPage, english: string, values: Record<string, string | number> = {}): string {
  if (current.locale === 'en') return english;
  const pages = HELP_ZH_CN as Record<string, string>;
  return pages[page].replace(/\{(\w+)\}/g, (whole, key: string) => (key === 'reading' ? pages.reading : key in values ? String(values[key]) : whole));
}

/**
 * A line for stderr: "tuneset: " and a message in the command line's language (an English message
 * is matched against the templates of l10n/findings.templates.json, as findings are; one without a
 * template is said as it is).
 */
export function errorLine(message: string): string {
  return `tuneset: ${current.message(message)}\n`;
}
