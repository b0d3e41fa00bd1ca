import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The README's command-line examples, run as a reader would run them: every `npx tuneset …` line of a
 * fenced code block, in a fresh copy of the samples (one copy per block, whose commands run in order,
 * as a terminal session; files they write land in the copy, never in the repository). A command exits
 * 0 unless a `# exits N` comment after it says otherwise; the output lines a `$ ` block shows must be
 * what the command prints, in order (`…` stands for lines left out, and a line ending in `…` for its start).
 */

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

interface Example {
  /** README line number, for messages. */
  line: number;
  args: string[];
  exit: number;
  /** The output lines shown under the command (console blocks only). */
  shown: string[];
}

const COMMAND = /^(\$ )?npx tuneset( .*)?$/;

/** The examples of each fenced block that has any. */
function readmeExamples(): Example[][] {
  const blocks: Example[][] = [];
  let block: Example[] | undefined;
  let last: Example | undefined;
  README.split('\n').forEach((text, i) => {
    if (text.startsWith('```')) {
      if (block?.length) blocks.push(block);
      block = block ? undefined : [];
      last = undefined;
      return;
    }
    if (!block) return;
    const command = COMMAND.exec(text);
    if (command) {
      last = example(text.replace(/^\$ /, ''), i + 1);
      block.push(last);
    } else if (text.startsWith('$ ')) last = undefined;
    else if (last && command === null && text.trim() !== '') last.shown.push(text);
  });
  return blocks;
}

/** One command line: its words after `npx tuneset`, and the exit code its comment promises. */
function example(text: string, line: number): Example {
  const [command, comment = ''] = text.split(/\s+#\s*/, 2);
  assert.doesNotMatch(command, /[|><;&'"`$]/, `README.md:${line}: examples are plain words, without shell syntax, so this test can run them`);
  const exit = /^exits (\d)\b/.exec(comment);
  return { line, args: command.trim().split(/\s+/).slice(2), exit: exit ? Number(exit[1]) : 0, shown: [] };
}

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Whether the shown lines appear in the output in this order (`…` skips, a trailing `…` matches a line's start). */
function missingShownLine(shown: string[], output: string[]): string | undefined {
  let at = 0;
  for (const line of shown) {
    if (line.trim() === '…') continue;
    const start = line.endsWith('…') ? line.slice(0, -1) : undefined;
    const found = output.findIndex((o, k) => k >= at && (start === undefined ? o === line : o.startsWith(start)));
    if (found < 0) return line;
    at = found + 1;
  }
  return undefined;
}

/** A folder with a copy of the samples, where an example's relative paths lead to the same files. */
function sampleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-readme-'));
  cpSync(join(ROOT, 'samples'), join(dir, 'samples'), { recursive: true });
  return dir;
}

test('the README has command-line examples in fenced blocks, with their output', () => {
  const all = readmeExamples().flat();
  assert.ok(all.length >= 4, `found ${all.length} examples`);
  for (const command of ['check', 'split', 'augment', 'report']) assert.ok(all.some((e) => e.args[0] === command), `an example of ${command}`);
  assert.ok(all.some((e) => e.shown.length), 'some examples show their output');
});

test('every README example runs against the samples and exits as documented', () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  for (const block of readmeExamples()) {
    const dir = sampleCopy();
    try {
      for (const e of block) {
        const where = `README.md:${e.line}: tuneset ${e.args.join(' ')}`;
        // A documented check output with errors promises exit 1 (with the default --fail-on error).
        if (e.args[0] === 'check' && !e.args.includes('--fail-on') && e.shown.some((l) => /findings: [1-9][\d,]* errors?\b/.test(l))) {
          assert.equal(e.exit, 1, `${where}: its output shows errors, so it exits 1; say so with "# exits 1"`);
        }
        const r = run(e.args, dir);
        assert.equal(r.code, e.exit, `${where} exited ${r.code}, not ${e.exit}:\n${r.err}`);
        const missing = missingShownLine(e.shown, [...r.err.split('\n'), ...r.out.split('\n')]);
        assert.equal(missing, undefined, `${where}: the README shows a line the command does not print (or not in this order):\n${missing}\n--- it printed:\n${r.err}${r.out}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('the inline `tuneset COMMAND FILE …` examples are accepted (FILE being a sample)', () => {
  const inline = [...README.matchAll(/`(?:npx )?tuneset ((?:split|augment|report) FILE[^`]*)`/g)].map((m) => m[1]);
  assert.ok(inline.length >= 3, `found ${inline.length}`);
  for (const text of inline) {
    const dir = sampleCopy();
    try {
      const args = text.split(/\s+/).map((w) => (w === 'FILE' ? 'samples/reviews/train.jsonl' : w));
      const r = run(args, dir);
      assert.notEqual(r.code, 2, `tuneset ${text} is refused:\n${r.err}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
