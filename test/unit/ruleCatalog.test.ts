import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { DEFAULT_CONFIG, RULE_IDS, RULES, SAFE_FIX_RULES, type RuleInfo } from '../../server/src/engine';
import { FILE_RULES } from '../../server/src/engine/rules/fileRules';
import { analyze, jsonl } from './helpers';

const ENGINE = join(__dirname, '..', '..', 'server', 'src', 'engine');
const info = (id: string): RuleInfo => (RULES as Record<string, RuleInfo>)[id];

function engineFiles(dir = ENGINE): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? engineFiles(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * The rule codes the engine's code names, outside the catalog: every string literal (or literal
 * type) given to a `rule` property, compared with a `.rule`, listed in a file rule's `rules` or
 * made into a finding by makeFinding;
 * and, apart, every string literal of the code (to find each catalog rule used somewhere).
 */
function rulesInCode(): { named: Map<string, string>; literals: Set<string> } {
  const named = new Map<string, string>();
  const literals = new Set<string>();
  for (const file of engineFiles()) {
    if (file.endsWith(join('rules', 'catalog.ts'))) continue;
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) => `${file.slice(ENGINE.length + 1)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    // The string literals an expression or type can stand for (through conditionals and unions).
    const strings = (node: ts.Node | undefined, out: ts.StringLiteralLike[] = []): ts.StringLiteralLike[] => {
      if (!node) return out;
      if (ts.isStringLiteralLike(node)) out.push(node);
      else if (ts.isConditionalExpression(node)) {
        strings(node.whenTrue, out);
        strings(node.whenFalse, out);
      }
      else if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isLiteralTypeNode(node)) strings(ts.isLiteralTypeNode(node) ? node.literal : node.expression, out);
      else if (ts.isUnionTypeNode(node)) for (const t of node.types) strings(t, out);
      else if (ts.isArrayLiteralExpression(node)) for (const e of node.elements) strings(e, out);
      return out;
    };
    const isRuleName = (name: ts.PropertyName | undefined) => !!name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && (name.text === 'rule' || name.text === 'rules');
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node)) literals.add(node.text);
      let found: ts.StringLiteralLike[] = [];
      if ((ts.isPropertyAssignment(node) || ts.isPropertySignature(node)) && isRuleName(node.name)) {
        found = strings(ts.isPropertyAssignment(node) ? node.initializer : node.type);
      } else if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(node.operatorToken.kind)) {
        const side = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && e.name.text === 'rule';
        if (side(node.left)) found = strings(node.right);
        else if (side(node.right)) found = strings(node.left);
      } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'makeFinding') {
        found = strings(node.arguments[0]);
      }
      for (const s of found) if (!named.has(s.text)) named.set(s.text, where(s));
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { named, literals };
}

test('every rule the engine names is in the catalog, and every rule of the catalog is named in the engine', () => {
  const { named, literals } = rulesInCode();
  // The scan finds rules wherever the code spells them: reader problems, schema issues, row and file rules.
  for (const id of ['invalid-json', 'csv-unclosed-quote', 'missing-field', 'too-short', 'exact-duplicate', 'length-outlier', 'invalid-utf8']) {
    assert.ok(named.has(id), `the scan misses ${id}`);
  }
  const unknown = [...named].filter(([id]) => !RULE_IDS.includes(id as never)).map(([id, at]) => `${id} (${at})`);
  assert.deepEqual(unknown, [], 'rules named in the code but not in rules/catalog.ts');
  const unused = RULE_IDS.filter((id) => !literals.has(id));
  assert.deepEqual(unused, [], 'rules in rules/catalog.ts that no code of the engine names');
});

test('the file-level rules are the catalog\'s rules of scope "file", and the other scopes hold the rest', () => {
  const listed = new Set(FILE_RULES.flatMap((r) => r.rules));
  for (const id of listed) assert.equal(info(id).scope, 'file', `${id} runs as a file-level rule`);
  // invalid-utf8 is found by the reader as it decodes, and reported once for the file by the file-level step.
  const fileScope = RULE_IDS.filter((id) => info(id).scope === 'file');
  assert.deepEqual(fileScope.filter((id) => !listed.has(id)), ['invalid-utf8']);
  assert.deepEqual(RULE_IDS.filter((id) => info(id).scope === 'cross-file'), ['cross-file-leak']);
  // The label model's rule runs apart from the rule pass (rules/labelErrors.ts), never among FILE_RULES.
  assert.deepEqual(RULE_IDS.filter((id) => info(id).scope === 'model'), ['possible-label-error']);
  for (const id of RULE_IDS) assert.ok(['row', 'file', 'cross-file', 'model'].includes(info(id).scope), id);
  // Each file rule's progress comes after the one before.
  for (let k = 1; k < FILE_RULES.length; k++) assert.ok(FILE_RULES[k].done > FILE_RULES[k - 1].done);
});

test('a finding with a quick fix belongs to a rule whose catalog entry says what its fix may do', () => {
  const rows: unknown[] = [];
  for (let i = 0; i < 12; i++) rows.push({ text: `a fine review number ${i} of the product we bought`, label: 'positive' });
  rows.push(
    { text: 'a fine review number 1 of the product we bought', label: 'positive' },
    { text: '  padded text with spaces around  ', label: 'positive' },
    { text: 'the cafÃ© was nice and warm', label: 'positive' },
    { text: 'bell \u0007 inside this text', label: 'positive' },
    { text: 'write to jane.doe@example.com for more', label: 'Positive' },
    { text: 'my key is sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD', label: 'negative' },
  );
  const a = analyze(jsonl(...rows), 'data.jsonl', {}, true);
  const fixed = new Set(a.findings.filter((f) => f.fix).map((f) => f.rule));
  for (const id of ['whitespace', 'mojibake', 'control-chars', 'exact-duplicate', 'pii-email', 'secret', 'label-variant']) assert.ok(fixed.has(id), `no fix of ${id} made`);
  for (const id of fixed) assert.ok(info(id).fix, `${id} makes fixes but its catalog entry has no fix`);
  assert.deepEqual([...SAFE_FIX_RULES].sort(), ['control-chars', 'label-variant', 'mojibake', 'whitespace', 'width-mix']);
});

test('each setting a rule names is a setting, and every rule-specific setting belongs to a rule', () => {
  const valueAt = (path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], DEFAULT_CONFIG);
  const claimed = new Set<string>();
  for (const id of RULE_IDS) {
    for (const s of info(id).settings ?? []) {
      assert.notEqual(valueAt(s), undefined, `${id}: no setting ${s}`);
      claimed.add(s);
    }
  }
  // How to read a file and which rules to run are everyone's settings, augment's are the augment command's; the others each tune a rule.
  const general = new Set(['format', 'textField', 'labelField', 'hasHeader', 'columns', 'rules', 'thresholds', 'augment']);
  const specific = [
    ...Object.keys(DEFAULT_CONFIG).filter((k) => !general.has(k)),
    ...Object.keys(DEFAULT_CONFIG.thresholds).map((k) => `thresholds.${k}`),
  ];
  assert.deepEqual(specific.filter((s) => !claimed.has(s)), [], 'settings no rule of the catalog names');
});
