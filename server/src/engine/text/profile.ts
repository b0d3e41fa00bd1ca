/** Character counts of a text gathered in one pass, so the noise rules can skip regexes that cannot match. */
export interface TextProfile {
  letters: number;
  digits: number;
  nonSpace: number;
  nonAscii: boolean;
  /** Index of the first control or invisible character, or -1. */
  control: number;
  hasAngleOrAmp: boolean;
  hasAt: boolean;
  hasNewline: boolean;
  /** Index of the first run of two or more spaces inside a line (not indentation), or -1. */
  spaceRun: number;
}

/** True for characters that are invisible or control codes (tab and newlines are allowed). */
export function isControl(c: number): boolean {
  return (
    (c < 32 && c !== 9 && c !== 10 && c !== 13) ||
    c === 0x7f ||
    (c >= 0x80 && c <= 0x9f) ||
    (c >= 0x200b && c <= 0x200d) ||
    c === 0x2060 ||
    c === 0xfeff
  );
}

export function profileText(s: string): TextProfile {
  let letters = 0;
  let digits = 0;
  let nonSpace = 0;
  let nonAscii = false;
  let control = -1;
  let hasAngleOrAmp = false;
  let hasAt = false;
  let hasNewline = false;
  let spaceRun = -1;
  let lineHasText = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (spaceRun < 0 && lineHasText && s.charCodeAt(i + 1) === 32) {
        let j = i + 2;
        while (s.charCodeAt(j) === 32) j++;
        if (j < s.length && s.charCodeAt(j) !== 10 && s.charCodeAt(j) !== 13) spaceRun = i;
      }
      continue;
    }
    if (c === 10) { hasNewline = true; lineHasText = false; continue; }
    if (c === 9 || c === 13) continue;
    nonSpace++;
    lineHasText = true;
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) letters++;
    else if (c >= 48 && c <= 57) digits++;
    else if (c < 128) {
      if (c === 60 || c === 38) hasAngleOrAmp = true;
      else if (c === 64) hasAt = true;
      else if (c < 32 || c === 127) { if (control < 0) control = i; }
    } else {
      nonAscii = true;
      if (control < 0 && isControl(c)) control = i;
      // Letters of other scripts count as letters; a rough but cheap test.
      if (c >= 0xc0 && !(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xd800 && c <= 0xdfff) && !(c >= 0xfe00 && c <= 0xffff)) letters++;
    }
  }
  return { letters, digits, nonSpace, nonAscii, control, hasAngleOrAmp, hasAt, hasNewline, spaceRun };
}
