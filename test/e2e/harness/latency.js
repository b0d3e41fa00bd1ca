'use strict';
// Typing latency in the real workbench, as issue #21 measured it: from a key's keydown (its event
// timestamp, so time the key waited in the renderer's queue counts) to the frame painted after the
// editor's DOM changed; and from a keystroke that changes the file's findings to the status bar
// showing them. Figures are printed, never asserted (the machine is shared; speed is for people to read).

/** Installs the keystroke-to-paint probe in the workbench page (once per page). */
async function installProbe(page) {
  await page.evaluate(() => {
    if (window.__typing) return;
    const probe = { pending: null, samples: [] };
    window.__typing = probe;
    window.addEventListener('keydown', (e) => { if (probe.pending === null) probe.pending = e.timeStamp; }, true);
    const observer = new MutationObserver(() => {
      if (probe.pending === null) return;
      const start = probe.pending;
      probe.pending = null;
      // The frame after the change is painted once its requestAnimationFrame callbacks have run.
      requestAnimationFrame(() => setTimeout(() => probe.samples.push(performance.now() - start), 0));
    });
    observer.observe(document.querySelector('.part.editor'), { subtree: true, childList: true, characterData: true });
  });
}

/**
 * Types `text` a key at a time (`delayMs` between keys, about a person's pace) at the cursor and
 * returns each key's keystroke-to-paint time in ms.
 */
async function typeAndMeasure(page, text, delayMs = 120) {
  await installProbe(page);
  await page.evaluate(() => { window.__typing.samples = []; window.__typing.pending = null; });
  for (const ch of text) {
    await page.keyboard.type(ch);
    await page.waitForTimeout(delayMs);
  }
  await page.waitForTimeout(500);
  const samples = await page.evaluate(() => window.__typing.samples.slice());
  if (samples.length < text.length / 2) throw new Error(`only ${samples.length} of ${text.length} keys typed changed the editor: is it focused?`);
  return samples;
}

/** The error count in Tuneset's status bar item ("79/100 11 27": score, errors, warnings). */
const ERRORS_OF = (text) => (text.match(/\d+/g) || [])[2];

/**
 * Presses `key` and returns the ms from its keydown until the status bar item that contains `marker`
 * (Tuneset's "/100") shows another error count than before (the key must change it), or null when
 * it did not within `timeoutMs`.
 */
async function statusBarLatency(page, key, marker = '/100', timeoutMs = 60000) {
  const before = await page.locator('.part.statusbar .statusbar-item', { hasText: marker }).first().innerText();
  await page.evaluate(() => {
    const probe = { down: null, changed: null };
    window.__status = probe;
    window.addEventListener('keydown', (e) => { if (probe.down === null) probe.down = e.timeStamp; }, { capture: true, once: true });
  });
  await page.keyboard.press(key);
  // Looked at every frame: the first frame showing the new count ends the wait.
  const changed = await page.waitForFunction(({ marker, errors }) => {
    // The same reading as ERRORS_OF (a page function cannot close over this module's).
    const errorsIn = (text) => (text.match(/\d+/g) || [])[2];
    const item = [...document.querySelectorAll('.part.statusbar .statusbar-item')].find((i) => i.innerText.includes(marker));
    if (!item || errorsIn(item.innerText) === errors) return false;
    if (window.__status.changed === null) window.__status.changed = performance.now();
    return true;
  }, { marker, errors: ERRORS_OF(before) }, { polling: 'raf', timeout: timeoutMs }).then(() => true, () => false);
  if (!changed) return null;
  return page.evaluate(() => window.__status.changed - window.__status.down);
}

/** The median, 90th percentile and largest of some figures, rounded to ms. */
function summarize(samples) {
  const s = samples.filter((x) => x !== null).sort((a, b) => a - b);
  const at = (q) => Math.round(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN);
  const missed = samples.length - s.length;
  return { n: s.length, median: at(0.5), p90: at(0.9), max: Math.round(s[s.length - 1] ?? NaN), ...(missed ? { missed } : {}) };
}

/** `n` made-up JSONL reviews (seeded words, every 40th repeats an earlier one), about 120 bytes a row. */
function bigJsonl(n) {
  const words = ('the battery lasts two full days and charging is quick strap broke on second day would recommend it to a friend screen bright '
    + 'sound clear price fair delivery late box damaged colour matches photo fits well size runs small support answered fast refund took').split(' ');
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const rows = [];
  for (let i = 0; i < n; i++) {
    const text = i % 40 === 39 ? rows[i - 20].text : `Review ${i}: ${Array.from({ length: 12 + Math.floor(next() * 16) }, () => words[Math.floor(next() * words.length)]).join(' ')}.`;
    rows.push({ text, label: ['positive', 'negative', 'neutral'][i % 3] });
  }
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

module.exports = { installProbe, typeAndMeasure, statusBarLatency, summarize, bigJsonl };
