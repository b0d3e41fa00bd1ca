import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');

function tuneset(...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('every command answers --help and -h with its own usage, exit 0', () => {
  for (const command of ['check', 'report', 'split', 'augment']) {
    for (const flag of ['--help', '-h']) {
      const r = tuneset(command, flag);
      assert.equal(r.code, 0, `${command} ${flag}: ${r.err}`);
      assert.equal(r.err, '');
      assert.match(r.out, new RegExp(`^Usage: tuneset ${command} `), `${command} ${flag}`);
    }
    assert.equal(tuneset('help', command).out, tuneset(command, '--help').out, `help ${command}`);
  }
  // Each usage names its own options, not another command's.
  assert.match(tuneset('check', '--help').out, /--fail-on/);
  assert.doesNotMatch(tuneset('check', '--help').out, /--html/);
  assert.match(tuneset('report', '--help').out, /--html FILE/);
  assert.doesNotMatch(tuneset('report', '--help').out, /--fail-on/);
});

test('the command list: --help exits 0, no command at all exits 2, an unknown one names itself', () => {
  const help = tuneset('--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /check +Report what is wrong[\s\S]*report +The quality report[\s\S]*--help/);
  const bare = tuneset();
  assert.equal(bare.code, 2);
  assert.equal(bare.out, help.out);
  const unknown = tuneset('chekc');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command "chekc"/);
});

/** A file whose text report (~1.7 MB) is far bigger than a pipe's buffer, with one error among the findings. */
function bigFile(dir: string): string {
  const rows = Array.from({ length: 20_000 }, () => JSON.stringify({ text: 'the same review text again', label: 'a' }));
  rows.push('{"text": "broken", }');
  const file = join(dir, 'big.jsonl');
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

/** Runs the CLI with its stdout closed by the reader after the first piece; resolves to exit code and stderr. */
function readFirstPieceThenClose(args: string[]): Promise<{ code: number | null; signal: string | null; err: string; read: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let read = 0;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.once('data', (d: Buffer) => {
      read = d.length;
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, err, read }));
  });
}

test('a reader that closes the pipe early (| head) ends the CLI quietly, with its own exit code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-pipe-'));
  try {
    const file = bigFile(dir);
    for (const format of ['text', 'json', 'sarif']) {
      const r = await readFirstPieceThenClose(['check', '--format', format, file]);
      assert.ok(r.read > 0, `${format}: something was read before closing`);
      assert.equal(r.err, '', `${format}: no stack trace, no noise`);
      assert.equal(r.signal, null);
      assert.equal(r.code, 1, `${format}: the error finding still decides the exit code`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`check … | head -1` prints one line and nothing on stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-head-'));
  try {
    const stderr = join(dir, 'stderr');
    const r = spawnSync('bash', ['-c', `"$NODE" bin/tuneset.js check samples/reviews/train.jsonl 2>"$ERR" | head -1; echo "exit \${PIPESTATUS[0]}"`], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE: process.execPath, ERR: stderr },
    });
    const [line, status] = r.stdout.trimEnd().split('\n');
    assert.match(line, /^samples\/reviews\/train\.jsonl:1:1 warning label-imbalance /);
    assert.equal(status, 'exit 1');
    assert.equal(readFileSync(stderr, 'utf8'), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
