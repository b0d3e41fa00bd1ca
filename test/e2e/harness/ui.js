'use strict';
// UI tests "as a person sees it": a real VS Code 1.100.3 workbench (code-server) in headless
// Chromium, driven with the keyboard and looked at through the DOM and screenshots.
//
//   const { launchUi } = require('./ui');
//   const ui = await launchUi({ folder: '/abs/ws', vsix: '/abs/tuneset.vsix', outDir: '/abs/out' });
//   try {
//     await ui.openFile('data.jsonl');
//     await ui.waitForSquiggle();                          // error squiggle in the active editor
//     await ui.problemsPanelText({ contains: 'duplicate' });
//     await ui.runCommand('Tuneset: Show Report');         // exact title as in the F1 palette
//     await ui.notificationText('Report ready');
//     await ui.webviewFrame().locator('h1').waitFor();
//     await ui.statusBarText('Tuneset');
//     await ui.screenshot('report');                       // -> <outDir>/report.png
//   } finally { await ui.close(); }
//
// Instead of `vsix`, `extensionDevelopmentPath` loads the extension from source (no packaging),
// as "Run Extension" would. Or pass `url` of a code-server you started yourself (startCodeServer).
//
// Every helper waits for something to appear (Playwright auto-waiting) with a timeout; none
// sleeps. When a helper fails it saves <outDir>/failure-<n>-<helper>.png and names it in the error.
const fs = require('fs');
const path = require('path');
const { startCodeServer, workbenchUrl, remoteUri } = require('./codeServer');
const { ROOT, launchChromium, verbose } = require('./common');

const DEFAULT_TIMEOUT = Number(process.env.E2E_UI_TIMEOUT_MS || 30000);
const escapeRe = s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SQUIGGLE = {
  error: '.squiggly-error', warning: '.squiggly-warning', info: '.squiggly-info', hint: '.squiggly-hint',
  any: '.squiggly-error, .squiggly-warning, .squiggly-info, .squiggly-hint',
};

/**
 * @param {object} o
 * @param {string} [o.folder]                  folder (or .code-workspace) to open
 * @param {string|string[]} [o.vsix]           packaged extension(s) to install first
 * @param {string|string[]} [o.extensionDevelopmentPath] or: load extension(s) from source
 * @param {object} [o.settings]                user settings
 * @param {object} [o.env]                     extra env for the server/extension host
 * @param {string} [o.locale]                  display language (code-server's --locale, e.g. 'zh-cn')
 * @param {function} [o.beforeStart]           see startCodeServer
 * @param {string} [o.url]                     use an already running code-server instead of starting one
 * @param {string} [o.outDir]                  screenshots; default .vscode-test/out/ui
 * @param {{width:number,height:number}} [o.viewport] default 1400x900
 * @param {number} [o.timeoutMs]               default per-helper timeout ($E2E_UI_TIMEOUT_MS or 30000)
 */
async function launchUi(o = {}) {
  const outDir = path.resolve(o.outDir || path.join(ROOT, '.vscode-test', 'out', 'ui'));
  fs.mkdirSync(outDir, { recursive: true });
  const timeout = o.timeoutMs || DEFAULT_TIMEOUT;
  if (o.url && o.vsix) throw new Error('with `url`, install the vsix into that server yourself (startCodeServer({vsix}) or cs.installVsix)');
  const server = o.url ? null : await startCodeServer({ vsix: o.vsix, settings: o.settings, env: o.env, locale: o.locale, beforeStart: o.beforeStart });
  let chrome;
  try {
    chrome = await launchChromium({ viewport: o.viewport });
  } catch (e) { if (server) await server.stop(); throw e; }
  const { page } = chrome;
  page.setDefaultTimeout(timeout);

  const base = o.url || server.url;
  const devPaths = [].concat(o.extensionDevelopmentPath || []);
  const url = workbenchUrl(base, o.folder, { payload: devPaths.map(p => ['extensionDevelopmentPath', remoteUri(base, p)]) });

  const quickInput = page.locator('.quick-input-widget');
  const quickInputBox = quickInput.locator('.quick-input-box input');
  const rows = quickInput.locator('.quick-input-list .monaco-list-row');

  let failures = 0;
  // Wraps a helper so that a failure leaves a screenshot behind and says where it is.
  const step = (name, fn) => async (...args) => {
    try { return await fn(...args); } catch (e) {
      const shot = path.join(outDir, `failure-${++failures}-${name}.png`);
      await page.screenshot({ path: shot }).catch(() => {});
      // Leave no half-typed palette behind for the next step (tests may catch and go on).
      if (await quickInputBox.isVisible().catch(() => false)) await page.keyboard.press('Escape').catch(() => {});
      e.message = `ui.${name}(${args.filter(a => typeof a === 'string').map(a => JSON.stringify(a)).join(', ')}) failed: ${e.message}\n  screenshot: ${shot}`;
      throw e;
    }
  };

  /** Opens the quick input with `key`; retries the key if the first press was swallowed. */
  async function openQuickInput(key) {
    for (let i = 0; ; i++) {
      await page.keyboard.press(key);
      try { await quickInputBox.waitFor({ state: 'visible', timeout: 5000 }); return; } catch {
        if (i >= 2) throw new Error(`quick input did not open with ${key}`);
        if (verbose()) console.error(`[ui] ${key} did not open the quick input, retrying`);
        // Focus may be inside a webview iframe, which eats keys: click the editor area first.
        await page.locator('.part.editor').click({ position: { x: 5, y: 5 } }).catch(() => {});
      }
    }
  }

  /** Before the palette is opened again: an action, so that the page's locator handlers deal with a modal that closed it. */
  async function beforeReopening(what) {
    if (verbose()) console.error(`[ui] ${what}, opening it again`);
    await page.locator('.part.statusbar').hover({ trial: true }).catch(() => {});
  }

  const api = {
    page, server, outDir, url,

    /** Opens the workbench and waits until it is interactive (the status bar and explorer are there). */
    open: step('open', async () => {
      await page.goto(url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      await page.locator('.part.statusbar').waitFor({ timeout: 60000 });
      if (o.folder) await page.locator('.explorer-folders-view').waitFor({ timeout: 60000 });
    }),

    /** Ctrl+P, type the name (basename or relative path), pick the match, wait for its tab. */
    openFile: step('openFile', async (name, { timeout: t = timeout } = {}) => {
      const baseName = path.basename(name);
      const activeTab = page.locator('.tabs-container .tab.active', { hasText: baseName });
      // The results list is redrawn as ripgrep streams more files in: a click can land on a row that
      // now shows another file (train/val.jsonl for train.jsonl). Then the right file is asked for again.
      for (let attempt = 1; ; attempt++) {
        await openQuickInput('Control+P');
        await quickInputBox.fill(name);
        // File results come from a ripgrep search on the server; wait for the row, do not assume.
        // A name with a folder picks the row of that folder (reviews/train.jsonl, not reviews/train/train.jsonl).
        const folder = path.dirname(name);
        let named = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(baseName)}$`) }) });
        if (folder !== '.') named = named.filter({ has: page.locator('.label-description', { hasText: new RegExp(`^${escapeRe(folder)}$`) }) });
        const row = named.first();
        await row.waitFor({ timeout: t });
        await row.click();
        if (await activeTab.waitFor({ timeout: attempt < 3 ? 5000 : t }).then(() => true, () => false)) break;
        if (attempt >= 3) throw new Error(`${name} did not open in 3 tries`);
      }
      await page.locator('.editor-instance .monaco-editor, .editor-instance').first().waitFor({ timeout: t });
    }),

    /**
     * F1, type the title, run the palette entry whose label is exactly `title`
     * ("Category: Title" as shown). {exact:false} takes the first entry containing it.
     */
    runCommand: step('runCommand', async (title, { exact = true, timeout: t = timeout, dataset } = {}) => {
      const label = exact ? new RegExp(`^\\s*${escapeRe(title)}\\s*$`) : title;
      const row = rows.filter({ has: page.locator('.label-name', { hasText: label }) }).first();
      // A modal VS Code raises on its own (a file gone from disk: "Unable to open ...") takes the focus and
      // closes the palette under the test, its entries still in the DOM (a CI run listed the very entry
      // it then failed to find). Then the palette is opened again, after an action that lets the page's
      // locator handlers deal with the modal, as a person would open it again.
      for (let attempt = 1; ; attempt++) {
        await openQuickInput('F1');
        // The palette may close between opening and typing too (a CI run timed out in fill, the modal
        // dealt with meanwhile and the palette gone).
        if (!(await quickInputBox.fill(`>${title}`, { timeout: 5000 }).then(() => true, () => false))) {
          if (attempt >= 3) throw new Error(`the palette closed itself 3 times before "${title}" could be typed`);
          await beforeReopening(`the palette closed before "${title}" was typed`);
          continue;
        }
        const found = await Promise.race([
          row.waitFor({ timeout: t }).then(() => 'row'),
          quickInputBox.waitFor({ state: 'hidden', timeout: t }).then(() => 'closed'),
        ]).catch(() => 'timeout');
        if (found === 'row') break;
        if (found === 'closed' && attempt < 3) {
          await beforeReopening(`the palette closed before "${title}" showed`);
          continue;
        }
        const seen = await rows.locator('.label-name').allInnerTexts().catch(() => []);
        throw new Error(`no palette entry ${exact ? 'equal to' : 'containing'} "${title}"${found === 'closed' ? ' (the palette closed itself 3 times)' : ''}; shown: ${JSON.stringify(seen.slice(0, 10))}`);
      }
      await row.click();
      // The palette closes once the command is picked (unless the command opens its own quick pick).
      await quickInputBox.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
      // `dataset`: the file a dataset command is meant for. A command run the moment its file's tab
      // became active can find the extension host not yet told (no active editor there), and then asks
      // "Which dataset?", as it would a person: the answer is that file.
      // The question may come a moment after the palette closed (a CI run found it open, unanswered, after
      // the check above had passed): it is waited for a little, whenever a dataset is named.
      const asked = dataset && (await quickInput.locator('.quick-input-box input[placeholder="Which dataset?"]').waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false));
      if (asked) {
        await quickInputBox.fill(dataset);
        await rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(dataset)}$`) }) }).first().click();
        await quickInputBox.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
      }
    }),

    /** Waits for a squiggle of `severity` ('error'|'warning'|'info'|'hint'|'any') in the editors; returns how many. */
    waitForSquiggle: step('waitForSquiggle', async ({ severity = 'error', timeout: t = timeout } = {}) => {
      const sel = SQUIGGLE[severity];
      if (!sel) throw new Error(`unknown severity ${severity}`);
      const l = page.locator('.monaco-editor').locator(sel);
      await l.first().waitFor({ state: 'attached', timeout: t });
      return l.count();
    }),

    /** Opens the Problems panel (View: Focus Problems) and returns its text, once it contains `contains`. */
    problemsPanelText: step('problemsPanelText', async ({ contains, timeout: t = timeout } = {}) => {
      const panel = page.locator('.markers-panel');
      if (!(await panel.isVisible())) await api.runCommand('View: Focus Problems', { exact: false });
      await panel.waitFor({ state: 'visible', timeout: t });
      if (contains) await page.locator('.markers-panel', { hasText: contains }).waitFor({ timeout: t });
      return panel.innerText();
    }),

    /** Waits for a notification toast containing `substr`; returns its full text. */
    notificationText: step('notificationText', async (substr, { timeout: t = timeout } = {}) => {
      const toast = page.locator('.notifications-toasts .notification-toast', substr ? { hasText: substr } : {}).first();
      await toast.waitFor({ state: 'visible', timeout: t });
      return toast.innerText();
    }),

    /**
     * The document inside a webview (panel or view), for locators:
     *   ui.webviewFrame().locator('#total')
     * VS Code nests it: outer iframe.webview (ready once loaded) > iframe#active-frame.
     * With several webviews, the last visible one is taken; {nth} picks another.
     */
    webviewFrame({ nth } = {}) {
      const outer = page.locator('iframe.webview.ready:visible');
      const chosen = nth === undefined ? outer.last() : outer.nth(nth);
      return chosen.contentFrame().frameLocator('#active-frame');
    },

    /** Waits for a status bar item containing `substr` and returns its text (no substr: whole status bar). */
    statusBarText: step('statusBarText', async (substr, { timeout: t = timeout } = {}) => {
      if (!substr) return page.locator('.part.statusbar').innerText();
      const item = page.locator('.part.statusbar .statusbar-item', { hasText: substr }).first();
      await item.waitFor({ state: 'visible', timeout: t });
      return item.innerText();
    }),

    /**
     * What is on screen in words, for a failure's log (CI keeps only the output): open dialogs,
     * notifications, quick input, and the text of each visible webview's page.
     */
    async describeScreen() {
      const lines = [];
      for (const [what, selector] of [['dialog', '.monaco-dialog-box'], ['notification', '.notifications-toasts .notification-list-item'], ['quick input', '.quick-input-widget:visible'], ['tab', '.tabs-container .tab']]) {
        try {
          for (const t of await page.locator(selector).allInnerTexts()) if (t.trim()) lines.push(`${what}: ${t.replace(/\s+/g, ' ').trim().slice(0, 300)}`);
        } catch (e) {
          lines.push(`${what}: not read (${e.message.split('\n')[0]})`);
        }
      }
      const frames = await page.locator('iframe.webview.ready:visible').count().catch(() => 0);
      for (let i = 0; i < frames; i++) {
        const body = page.locator('iframe.webview.ready:visible').nth(i).contentFrame().frameLocator('#active-frame').locator('body');
        const t = await body.innerText({ timeout: 2000 }).catch((e) => `(unreadable: ${e.message.split('\n')[0]})`);
        lines.push(`webview ${i + 1} of ${frames}: ${t.replace(/\s+/g, ' ').trim().slice(0, 600)}`);
      }
      return lines.join('\n');
    },

    /** Saves <outDir>/<name>.png (the full 1400x900 window) and returns its path. */
    async screenshot(name) {
      const file = path.join(outDir, name.endsWith('.png') ? name : `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },

    /** Closes the browser and the code-server this launched (if any). Safe to call twice. */
    async close() {
      await chrome.close();
      // The extension's output channel (the language server's log, with its check times) is kept
      // beside the screenshots: the typing figures can be read against what the server did.
      if (server) keepTunesetLog(server.userDataDir, outDir);
      if (server) await server.stop();
    },
  };

  try { await api.open(); } catch (e) { await api.close(); throw e; }
  return api;
}

/** Copies the Tuneset output channel's log file(s) of a code-server's user data to outDir/tuneset-server.log. */
function keepTunesetLog(userDataDir, outDir) {
  const found = [];
  const walk = (dir, depth) => {
    let entries = [];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 6) walk(p, depth + 1);
      else if (/Tuneset\.log$/.test(e.name)) found.push(p);
    }
  };
  walk(path.join(userDataDir, 'logs'), 0);
  if (found.length) fs.writeFileSync(path.join(outDir, 'tuneset-server.log'), found.map((f) => fs.readFileSync(f, 'utf8')).join('\n'));
}

module.exports = { launchUi };
