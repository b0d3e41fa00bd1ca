// The extension in Chinese, as a Chinese-speaking user sees it: VS Code started with the display
// language zh-cn (code-server --locale zh-cn), a Chinese dataset opened, and Tuneset's own strings
// (the Problems panel's findings, the status bar's tooltip, a command's title in the palette, a
// panel's page) in Chinese. Rule codes stay English. Screenshots go to test-output/l10n.
const { launchUi } = require('./harness/ui');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

/** A small Chinese classification file with a duplicate, a too-short text and an e-mail address. */
const ROWS = [
  { text: '这家餐厅的菜很好吃，服务也很周到。', label: '正面' },
  { text: '快递太慢了，等了整整一个星期才到。', label: '负面' },
  { text: '这家餐厅的菜很好吃，服务也很周到。', label: '正面' },
  { text: '好', label: '正面' },
  { text: '有问题请发邮件到 kefu@example.com 联系我们。', label: '中性' },
  { text: '价格合理，环境干净，下次还会再来。', label: '正面' },
  { text: '屏幕很清晰，但是电池不太耐用。', label: '中性' },
  { text: '包装破损，客服也不回复消息。', label: '负面' },
];

/**
 * A language pack for zh-cn without translations. VS Code takes a display language only when a
 * language pack provides it (without one, code-server's --locale zh-cn falls back to English and
 * vscode.env.language is 'en'); Microsoft's Chinese pack comes from the Marketplace, which this
 * machine cannot reach. This one declares zh-cn and translates nothing: VS Code's own interface stays
 * English, and extensions see vscode.env.language === 'zh-cn', as with the real pack.
 */
function chineseLanguagePack(dir) {
  const root = path.join(dir, 'zh-cn-pack');
  fs.mkdirSync(path.join(root, 'translations'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({
    name: 'language-pack-zh-cn-test', displayName: 'zh-cn display language (test)', publisher: 'tuneset-test', version: '0.0.1', license: 'MIT',
    description: 'Declares the zh-cn display language, with no translations', engines: { vscode: '^1.100.0' }, categories: ['Language Packs'],
    contributes: { localizations: [{ languageId: 'zh-cn', languageName: 'Chinese Simplified', localizedLanguageName: '中文(简体)', translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
  }, null, 2));
  fs.writeFileSync(path.join(root, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.writeFileSync(path.join(root, 'README.md'), 'Declares the zh-cn display language for the end-to-end test; translates nothing.\n');
  fs.writeFileSync(path.join(root, 'LICENSE'), 'MIT\n');
  const vsix = path.join(dir, 'zh-cn-pack.vsix');
  const vsce = path.join(__dirname, '..', '..', 'node_modules', '@vscode', 'vsce', 'vsce');
  const pack = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix], { cwd: root, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`packaging the zh-cn language pack failed: ${pack.stderr}`);
  return vsix;
}

/**
 * VS Code's server reads the display languages from <user-data>/languagepacks.json, which it writes
 * when a language pack is installed into a running server; `code-server --install-extension` (the
 * harness's install) does not write it, so it is written here as the server would.
 */
function registerLanguagePack({ userDataDir, extensionsDir }) {
  const id = 'tuneset-test.language-pack-zh-cn-test';
  const translations = path.join(extensionsDir, `${id}-0.0.1`, 'translations', 'main.i18n.json');
  if (!fs.existsSync(translations)) throw new Error(`the zh-cn language pack is not installed: no ${translations}`);
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({
    'zh-cn': { hash: 'tuneset-test-0.0.1', extensions: [{ extensionIdentifier: { id }, version: '0.0.1' }], translations: { vscode: translations }, label: '中文(简体)' },
  }));
}

function chineseWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuneset-zh-'));
  fs.writeFileSync(path.join(dir, 'reviews-zh.jsonl'), ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return dir;
}

async function run({ outDir, vsix }) {
  const workspace = chineseWorkspace();
  const languagePack = chineseLanguagePack(fs.mkdtempSync(path.join(os.tmpdir(), 'tuneset-pack-')));
  const ui = await launchUi({ folder: workspace, vsix: [languagePack, vsix], locale: 'zh-cn', outDir, beforeStart: registerLanguagePack });
  const step = (name) => console.log(`[l10n] ${name}`);
  try {
    const language = await ui.page.evaluate(() => globalThis._VSCODE_NLS_LANGUAGE || document.documentElement.lang);
    step(`workbench display language: ${language}`);
    await ui.openFile('reviews-zh.jsonl');
    await ui.waitForSquiggle({ severity: 'warning' });
    const problems = await ui.problemsPanelText({ contains: '与第 1 行重复' });
    for (const said of ['"text" 过短（1 个字符）；中文和日文文本的最小长度为 4 个字符', '"text" 含有电子邮件地址', 'exact-duplicate', 'pii-email']) {
      if (!problems.includes(said)) throw new Error(`the Problems panel does not say ${JSON.stringify(said)}:\n${problems}`);
    }
    step('Problems panel: findings in Chinese, rule codes in English');
    await ui.screenshot('problems-zh');

    // The status bar item's tooltip, shown on hover as VS Code's hover widget.
    const item = ui.page.locator('.part.statusbar .statusbar-item', { hasText: '/100' }).first();
    await item.waitFor();
    await item.hover();
    const tooltip = ui.page.locator('.workbench-hover, .monaco-hover, .custom-hover', { hasText: '点击查看文件摘要' }).first();
    await tooltip.waitFor();
    const tip = await tooltip.innerText();
    if (!/Tuneset：classification，8 行，质量 \d+\/100/.test(tip)) throw new Error(`status bar tooltip: ${tip}`);
    step(`status bar tooltip: ${tip.trim()}`);
    await ui.screenshot('status-bar-zh');
    await ui.page.mouse.move(700, 300);

    // The palette lists the command under its Chinese title (package.nls.zh-cn.json); the panel's page is in Chinese.
    await ui.runCommand('Tuneset: 拆分数据集…');
    const split = ui.webviewFrame();
    await split.locator('#write', { hasText: '写入拆分文件' }).waitFor();
    await split.locator('#status', { hasText: /已读取 \d+ 行/ }).waitFor();
    const labels = await split.locator('.field-label').allInnerTexts();
    if (!labels.includes('按标签分层')) throw new Error(`split page labels: ${JSON.stringify(labels)}`);
    step('palette: "Tuneset: 拆分数据集…"; split panel page in Chinese');
    await ui.screenshot('split-panel-zh');

    // The report panel's own words (media/report.js t(), l10n/report.l10n.zh-cn.json), rule codes in English.
    await ui.runCommand('View: Close All Editors');
    await ui.openFile('reviews-zh.jsonl');
    await ui.runCommand('Tuneset: 显示质量报告');
    const report = ui.webviewFrame();
    await report.locator('body[data-report="ready"]').waitFor();
    await report.locator('#findings-title', { hasText: '各规则发现的问题' }).waitFor();
    const heading = (await report.locator('h1').innerText()).trim();
    if (heading !== '质量报告') throw new Error(`report page heading: ${heading}`);
    if (!(await report.locator('#findings-table tr[data-rule="exact-duplicate"]').innerText()).includes('警告')) throw new Error('report page: the severity of exact-duplicate is not said in Chinese');
    step('report panel: its headings and severities in Chinese');
    await ui.screenshot('report-zh');

    // VS Code's own interface: the language pack here translates nothing, so it stays English.
    const explorer = await ui.page.locator('.part.sidebar .title-label').first().innerText();
    step(`VS Code's own interface (no translations in the test's language pack) reads: "${explorer.trim()}"`);
    return true;
  } catch (e) {
    console.error(`[l10n] FAILED: ${e.message.split('\n')[0]}`);
    return false;
  } finally {
    await ui.close();
  }
}

module.exports = { run };
