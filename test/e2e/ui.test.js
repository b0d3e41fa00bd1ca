// The extension as a person sees it: squiggles in the editor, the Problems panel, the status bar,
// palette commands; screenshots are saved under test-output/ui for people to look at.
const { launchUi } = require('./harness/ui');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

async function run({ workspace, outDir }) {
  const ui = await launchUi({ folder: workspace, extensionDevelopmentPath: ROOT, outDir, settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  const step = (name) => console.log(`[ui] ${name}`);
  try {
    await ui.openFile('train.jsonl');
    await ui.waitForSquiggle({ severity: 'error' });
    step('error squiggles shown');
    await ui.statusBarText('/100');
    step('status bar shows the quality score');
    await ui.screenshot('editor-squiggles');
    await ui.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await ui.problemsPanelText({ contains: 'Invalid JSON: Unexpected token' });
    await ui.problemsPanelText({ contains: 'contains a payment card number' });
    step('Problems panel lists the findings');
    await ui.screenshot('problems-panel');
    await ui.runCommand('Tuneset: Check Workspace');
    await ui.notificationText('Tuneset checked');
    step('Check Workspace ran from the palette');
    await ui.runCommand('Tuneset: Show File Summary');
    await ui.page.locator('.quick-input-widget', { hasText: 'Quality' }).waitFor();
    await ui.screenshot('file-summary');
    await ui.page.keyboard.press('Escape');
    step('file summary shown');
    return true;
  } catch (e) {
    console.error(`[ui] FAILED: ${e.message.split('\n')[0]}`);
    return false;
  } finally {
    await ui.close();
  }
}

module.exports = { run };
