import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The palette commands exist as soon as the extension activates: a command invoked while the
 * language client starts (seconds on a busy machine) waits for it instead of failing with "command
 * not found". Read from the client's source (the e2e suite runs it in VS Code).
 */
const ROOT = join(__dirname, '..', '..');

function source(file: string): ts.SourceFile {
  const full = join(ROOT, 'client', 'src', file);
  return ts.createSourceFile(full, readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true);
}

function functionNamed(file: ts.SourceFile, name: string): ts.FunctionDeclaration {
  const found = file.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name);
  assert.ok(found?.body, `${file.fileName} declares ${name}`);
  return found;
}

/** True when the node holds an `await` (outside nested functions). */
function awaits(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, awaits) ?? false;
}

test('activate registers the commands before it waits for anything (the client\'s start included)', () => {
  const file = source('extension.ts');
  const statements = functionNamed(file, 'activate').body!.statements;
  const registering = statements.findIndex((s) => /\bregisterCommands\(/.test(s.getText(file)));
  const firstAwait = statements.findIndex(awaits);
  assert.ok(registering >= 0, 'activate calls registerCommands');
  assert.ok(firstAwait === -1 || registering < firstAwait, `registerCommands (statement ${registering}) comes before the first await (statement ${firstAwait}): ${statements[firstAwait]?.getText(file)}`);
  const call = statements[registering].getText(file);
  const started = statements.find((s) => /client\.start\(\)/.test(s.getText(file)));
  assert.ok(started && ts.isVariableStatement(started), 'the client\'s start is kept as a promise');
  const name = started.declarationList.declarations[0].name.getText(file);
  assert.match(call, new RegExp(`registerCommands\\([^)]*\\b${name}\\)`), 'the commands are given the start to wait for');
});

test('every registered command waits for the client\'s start before it runs', () => {
  const file = source('commands.ts');
  const register = functionNamed(file, 'registerCommands');
  const ready = register.parameters.at(-1);
  assert.equal(ready?.type?.getText(file), 'Promise<void>', 'registerCommands takes the start to wait for');
  const body = register.body!.getText(file);
  assert.match(body, /for \(const \[id, run\] of Object\.entries\(handlers\)\) handlers\[id\] = afterStart\(ready, run\);\s+for \(const \[id, handler\] of Object\.entries\(handlers\)\)/, 'each handler is wrapped before it is registered');
  const wrapper = functionNamed(file, 'afterStart').body!.getText(file);
  assert.match(wrapper, /await ready;\s+return run\(\.\.\.args\);/, 'the wrapper waits, then runs the command');
});
