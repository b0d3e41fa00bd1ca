import { LOCALES, localeFromEnv, resolveLocale, translator, type Locale, type Translator } from '../host/l10n';
import { UsageError } from './command';

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
      if (i + 1 >= argv.length) throw new UsageError(`--lang needs a language: ${LOCALES.join(' or ')}`);
      asked = argv[++i];
    } else if (a.startsWith('--lang=')) asked = a.slice('--lang='.length);
    else rest.push(a);
  }
  let locale: Locale;
  if (asked === undefined) locale = localeFromEnv(env);
  else {
    const normal = asked.toLowerCase().replace(/_/g, '-');
    if (!(LOCALES as readonly string[]).includes(normal) && normal !== 'zh') throw new UsageError(`--lang must be ${LOCALES.join(' or ')}, not "${asked}"`);
    locale = resolveLocale(normal);
  }
  current = translator(locale);
  return rest;
}
