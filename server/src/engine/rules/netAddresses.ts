import { before, eachMatch, type Found } from './found';

/**
 * E-mail and IP addresses. Each candidate is validated as the address it claims to be (a domain with a
 * top-level name, four octets up to 255, eight hexadecimal groups) and then read in context: file
 * names with an @ (icon@2x.png), version numbers (Python 3.11.4.1), clock times and C++ or Rust paths
 * (12:30:45, std::vector) have an address's characters but are none.
 */

// --- e-mail --------------------------------------------------------------------------------------

/** A domain of labels ending in a top-level name of letters, read from right after an @. */
const DOMAIN = /((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24}))(?![\w-]|\.[A-Za-z0-9])/y;

/**
 * File extensions that are no top-level domain: asset@2x.png, bundle@1.2.min.js. (Those that are
 * one too, such as .zip or .md, stay addresses.)
 */
const FILE_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'bmp', 'tif', 'tiff', 'heic', 'avif', 'pdf', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx',
  'css', 'scss', 'less', 'html', 'htm', 'json', 'yaml', 'yml', 'xml', 'csv', 'tsv', 'txt', 'log', 'lock', 'toml', 'ini', 'cfg', 'conf',
  'pyc', 'rb', 'java', 'kt', 'swift', 'cpp', 'hpp', 'php', 'mp3', 'mp4', 'wav', 'avi', 'mkv', 'webm', 'flac', 'ogg', 'tar', 'gz',
  'tgz', 'bz2', 'xz', 'rar', 'exe', 'dll', 'bin', 'wasm', 'map', 'woff', 'woff2', 'ttf', 'otf', 'eot', 'psd', 'ipynb', 'onnx', 'pt',
]);

/**
 * Finds e-mail addresses, from each @ (a regex for the whole address, tried at every character of
 * a text, cost far more than these few @).
 */
export function findEmails(text: string): Found[] {
  const out: Found[] = [];
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    const start = localPartStart(text, at);
    DOMAIN.lastIndex = at + 1;
    const m = start < at ? DOMAIN.exec(text) : null;
    if (m && isMailDomain(m[1], m[2]) && !inUrlOrRemote(text, start, DOMAIN.lastIndex)) out.push({ start, end: DOMAIN.lastIndex, what: 'an e-mail address' });
  }
  return out;
}

/** Characters of a local part (jane.doe+tag_1%x-y). */
function isLocalChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

/**
 * Where the local part before an @ starts (the @'s own offset when there is none): up to 64 local
 * characters, starting with a letter or digit and not ending with a dot or holding two in a row.
 */
function localPartStart(text: string, at: number): number {
  let start = at;
  while (start > 0 && at - start < 64 && isLocalChar(text.charCodeAt(start - 1))) start--;
  if (start > 0 && isLocalChar(text.charCodeAt(start - 1))) return at;
  while (start < at && !/[A-Za-z0-9]/.test(text.charAt(start))) start++;
  const local = text.slice(start, at);
  return local.endsWith('.') || local.includes('..') ? at : start;
}

/** A mail domain, not a file name: icon@2x.png, logo@3x.webp have an extension and a scale for a domain. */
function isMailDomain(domain: string, tld: string): boolean {
  return !FILE_EXTENSIONS.has(tld.toLowerCase()) && !/^\d+x\./i.test(domain);
}

/** git@github.com:owner/repo.git is a remote, and https://user@host a URL's user: neither is mail. */
function inUrlOrRemote(text: string, start: number, end: number): boolean {
  if (text.charCodeAt(end) === 58 && /[\w~/]/.test(text.charAt(end + 1))) return true;
  return /:\/\/[^\s/]*$/.test(text.slice(Math.max(0, start - 200), start));
}

// --- IPv4 ----------------------------------------------------------------------------------------

/**
 * Four dot-separated numbers, not followed by more of a dotted or dashed chain (1.2.3.4.5, 1.2.3.4-beta);
 * what may come before is tested apart (startsAddress), as a lookbehind here slowed every position.
 */
const IPV4 = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w]|\.\d|-[A-Za-z])/g;

/** Whether dotted numbers start on their own: not after a word character or a dot, nor a dash after one (lib-1.2.3.4). */
function startsAddress(text: string, at: number): boolean {
  const c = text.charAt(at - 1);
  if (c === '.' || /\w/.test(c)) return false;
  return c !== '-' || !/\w/.test(text.charAt(at - 2));
}

/**
 * Words after which dotted numbers are versions or section numbers (numpy==1.21.0.1, Python 3.11.4.1,
 * upgrade to 4.18.100.5, version is 1.2.3.4, section 10.1.12.3).
 */
const VERSION_WORDS = /(?:\b(?:v|version|ver\.?|release[sd]?|build|python|node|java|ruby|php|perl|golang|rust|chrome|firefox|safari|edge|windows|ubuntu|debian|android|ios|macos|kernel|firmware|sdk|package|update[sd]?|upgrade[sd]?|patch|section|chapter|clause|figure|table|step)\b|==|>=|<=|~=)(?:\s+(?:to|is|was))?\s*$/;

/** Words right before an address that say it is one, even 1.2.3.4 (which otherwise reads as a version). */
const IP_WORDS = /\b(?:ip|ipv4|address|addr|host|server|dns|gateway|ping|subnet|router|proxy|nameserver|resolver)\b\W{0,3}$/;

/** Finds IPv4 addresses: valid octets, read by the nearest word before them. */
export function findIPv4(text: string): Found[] {
  return eachMatch(IPV4, text, 'an IP address', (m) => {
    if (!startsAddress(text, m.index)) return false;
    const octets = m[0].split('.');
    if (!octets.every((o) => Number(o) <= 255 && (o.length === 1 || o[0] !== '0'))) return false;
    const context = before(text, m.index, 32);
    if (IP_WORDS.test(context)) return true;
    return !VERSION_WORDS.test(context) && octets.some((o) => o.length >= 2);
  });
}

// --- IPv6 ----------------------------------------------------------------------------------------

/** Hexadecimal digits, colons and dots: what an IPv6 address (with an embedded IPv4 one) is written with. */
function isAddressChar(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 46;
}

/** A zone after an IPv6 address, as in fe80::1%eth0. */
const ZONE = /%[A-Za-z0-9_.-]{1,16}/y;

/**
 * Finds IPv6 addresses: from each colon, the run of hexadecimal digits, colons and dots around it
 * (with a zone after it, %eth0), not inside a word or path, validated. (Read from the colons: a regex
 * tried at every character of every text with a colon cost far more.)
 */
export function findIPv6(text: string): Found[] {
  const out: Found[] = [];
  for (let colon = text.indexOf(':'); colon >= 0; ) {
    let start = colon;
    while (start > 0 && isAddressChar(text.charCodeAt(start - 1))) start--;
    let end = colon + 1;
    while (end < text.length && isAddressChar(text.charCodeAt(end))) end++;
    colon = text.indexOf(':', end);
    // A sentence's full stop is not part of the address.
    while (text.charCodeAt(end - 1) === 46) end--;
    const address = text.slice(start, end);
    ZONE.lastIndex = end;
    if (ZONE.test(text)) end = ZONE.lastIndex;
    if (address.length > 45 || /[\w%]/.test(text.charAt(start - 1)) || /[\w:]/.test(text.charAt(end))) continue;
    if (isIPv6(address) && looksLikeAddress(address)) out.push({ start, end, what: 'an IP address' });
  }
  return out;
}

/** The groups of an IPv6 address ("::" stands for the zero groups left out), or undefined when it is none. */
function ipv6Groups(s: string): string[] | undefined {
  const gap = s.indexOf('::');
  if (gap !== s.lastIndexOf('::') || s.includes(':::')) return undefined;
  const sides = gap < 0 ? [s] : [s.slice(0, gap), s.slice(gap + 2)];
  const groups = sides.flatMap((side) => (side ? side.split(':') : []));
  const last = groups[groups.length - 1];
  // An embedded IPv4 address (::ffff:192.0.2.128) takes the place of the last two groups.
  if (last?.includes('.')) {
    if (!isIPv4(last)) return undefined;
    groups.splice(groups.length - 1, 1, '0', '0');
  }
  if (!groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return undefined;
  return gap < 0 ? (groups.length === 8 ? groups : undefined) : groups.length <= 7 ? groups : undefined;
}

function isIPv6(s: string): boolean {
  return ipv6Groups(s) !== undefined;
}

function isIPv4(s: string): boolean {
  const octets = s.split('.');
  return octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/**
 * Whether a valid IPv6 address reads as one rather than as code or figures: it has a digit (dead::beef,
 * Foo::Bar have none) and a group of three or more characters (1:2:3:4:5:6:7:8, a[1::2] have none);
 * a short one (fewer than three groups written) also needs a hex letter in such a group or a global
 * or link-local prefix (fe80::1, 2001::1); ::1, the loopback, is one.
 */
function looksLikeAddress(s: string): boolean {
  if (s === '::1') return true;
  if (!/\d/.test(s)) return false;
  const written = s.split(/:+/).filter(Boolean);
  if (!written.some((g) => g.length >= 3)) return false;
  if (written.length >= 3) return true;
  return written.some((g) => g.length >= 3 && /[a-f]/i.test(g)) || /^[23][0-9a-f]{3}$/i.test(written[0]);
}
