import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { COMMANDS } from '../../server/src/protocol';

/**
 * The client's structure, checked where drift would otherwise go unnoticed until a user clicks:
 * the commands package.json declares, the protocol names and the client registers are the same
 * ids; and the client bundle carries no engine code (the client is a view: the server does the work).
 */
const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus: Record<string, { command: string }[]> };
};

/**
 * The command ids client/src/commands.ts registers, read from its source: the keys of the `handlers`
 * registry in registerCommands (each `[COMMANDS.name]`), which it hands to registerCommand one by one.
 */
function registeredCommands(): string[] {
  const file = join(ROOT, 'client', 'src', 'commands.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const register = source.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === 'registerCommands');
  assert.ok(register?.body, 'commands.ts declares registerCommands');
  const body = register.body.getText(source);
  assert.match(body, /for \(const \[id, handler\] of Object\.entries\(handlers\)\) [^;]*vscode\.commands\.registerCommand\(id, handler\)/, 'every entry of the registry is registered');
  const declaration = register.body.statements.flatMap((s) => (ts.isVariableStatement(s) ? [...s.declarationList.declarations] : [])).find((d) => d.name.getText(source) === 'handlers');
  assert.ok(declaration?.initializer && ts.isObjectLiteralExpression(declaration.initializer), 'registerCommands keeps its handlers in an object literal');
  const ids: string[] = [];
  for (const property of declaration.initializer.properties) {
    const key = property.name;
    assert.ok(key && ts.isComputedPropertyName(key) && ts.isPropertyAccessExpression(key.expression) && key.expression.expression.getText(source) === 'COMMANDS', `a handler's key is COMMANDS.name, not ${key?.getText(source)}`);
    const name = key.expression.name.text as keyof typeof COMMANDS;
    assert.ok(name in COMMANDS, `COMMANDS has no ${name}`);
    ids.push(COMMANDS[name]);
  }
  return ids;
}

test('every command package.json declares is in the protocol\'s COMMANDS and registered by the client, and the other way round', () => {
  const declared = pkg.contributes.commands.map((c) => c.command).sort();
  const named = Object.values(COMMANDS).sort();
  const registered = registeredCommands().sort();
  assert.deepEqual(named, declared, 'protocol COMMANDS = package.json contributes.commands');
  assert.deepEqual(registered, declared, 'registered by client/src/commands.ts = package.json contributes.commands');
  assert.equal(new Set(registered).size, registered.length, 'each command is registered once');
  for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
    for (const item of items) assert.ok(declared.includes(item.command), `menu ${menu} names ${item.command}, which package.json does not declare`);
  }
});

test('no other client file registers a command of its own', () => {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  const registering = walk(join(ROOT, 'client', 'src')).filter((f) => /registerCommand\(/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(registering.map((f) => f.slice(ROOT.length + 1)), ['client/src/commands.ts']);
});

test('the client bundle holds no engine code: only the protocol\'s messages reach it from server/src', () => {
  const bundle = join(ROOT, 'dist', 'extension.js');
  assert.ok(existsSync(bundle), 'run `npm run build` first');
  const text = readFileSync(bundle, 'utf8');
  // esbuild marks each bundled module with its path in a comment.
  const fromServer = [...new Set([...text.matchAll(/^\/\/ (server\/src\/[^\n]+)$/gm)].map((m) => m[1]))];
  assert.deepEqual(fromServer, ['server/src/protocol.ts']);
  // Names only the engine, the CLI helpers and WordNet define (their code, not a mention of them).
  for (const engineOnly of ['function planSplit(', 'function planAugmentation(', 'function analyzeDataset(', 'function renderReportHtml(', 'function loadWordNet(', 'function writeFilesAtomic(']) {
    assert.ok(!text.includes(engineOnly), `the client bundle defines ${engineOnly.slice(9, -1)}`);
  }
  // The same check finds them in the server's bundle, so it would find them in the client's.
  const server = readFileSync(join(ROOT, 'dist', 'server.js'), 'utf8');
  for (const serverSide of ['function planSplit(', 'function planAugmentation(', 'function renderReportHtml(', 'function loadWordNet(']) assert.ok(server.includes(serverSide), `${serverSide} is in dist/server.js`);
});
