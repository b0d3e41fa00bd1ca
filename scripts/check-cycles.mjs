// Fails when the project's TypeScript imports go round in a loop (run by `npm run lint`).
//
// Every import counts, `import type` included: a type-only loop still means two modules that cannot be
// read, or moved, one without the other. Edges are `import`/`export ... from`, `import x = require()`,
// `import('...')` (in code or in a type) and `require('...')`, resolved with TypeScript's own module
// resolution and the project's tsconfig. Packages (node_modules) are not followed.
//
// Usage: node scripts/check-cycles.mjs [--values-only] [--all] [root ...]   (roots default to server/src and client/src)
//   --values-only  leave out type-only edges (to see which loops exist at run time)
//   --all          list every loop, even the allowed ones
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Loops outside the engine that another change of issue #14 removes (the CLI/host restructuring).
 * Each entry is a loop as printed, starting at its alphabetically first file. Remove this list when
 * that change is merged: the check then allows no loop at all.
 */
export const ALLOWED_CYCLES = [];

/** The .ts files under the given folders (declaration files left out). */
function tsFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist') tsFiles(p, out);
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The module specifiers a file imports, each with whether only types cross the edge. */
export function importsOf(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const add = (node, typeOnly) => {
    if (node && ts.isStringLiteralLike(node)) found.push({ specifier: node.text, typeOnly });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      // `import type {..}`, or `import { type A, type B }` with nothing else, carries only types.
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings)
        && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, typeOnly);
      return;
    }
    if (ts.isExportDeclaration(node)) {
      const typeOnly = node.isTypeOnly || (!!node.exportClause && ts.isNamedExports(node.exportClause)
        && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, typeOnly);
      return;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
      return;
    }
    if (ts.isImportTypeNode(node)) {
      add(ts.isLiteralTypeNode(node.argument) ? node.argument.literal : undefined, true);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * The import graph of the .ts files under `roots`: file -> [{ to, typeOnly }], only edges between files of
 * the graph (packages and files outside the roots are left out).
 */
export function importGraph(roots, { tsconfig = join(ROOT, 'tsconfig.json') } = {}) {
  let options = { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.Preserve, resolveJsonModule: true, allowJs: false };
  try {
    const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
    if (!read.error) options = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(tsconfig)).options;
  } catch { /* no tsconfig: the defaults above */ }
  const files = roots.flatMap((r) => tsFiles(resolve(r)));
  const inGraph = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const edges = new Map();
    for (const { specifier, typeOnly } of importsOf(file, readFileSync(file, 'utf8'))) {
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const to = resolve(resolved.resolvedFileName);
      if (!inGraph.has(to)) continue;
      // Two imports of one file: the edge carries values if either does.
      edges.set(to, (edges.get(to) ?? true) && typeOnly);
    }
    graph.set(file, [...edges].map(([to, typeOnly]) => ({ to, typeOnly })));
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file (or a file importing itself). */
function loopingComponents(nodes, next) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  const strong = (v) => {
    // Iterative, so a long import chain cannot overflow the call stack.
    const work = [{ v, i: 0 }];
    index.set(v, counter); low.set(v, counter); counter++;
    stack.push(v); onStack.add(v);
    while (work.length) {
      const top = work[work.length - 1];
      const succ = next(top.v);
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (!index.has(w)) {
          index.set(w, counter); low.set(w, counter); counter++;
          stack.push(w); onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v), index.get(w)));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1].v, Math.min(low.get(work[work.length - 1].v), low.get(top.v)));
      if (low.get(top.v) === index.get(top.v)) {
        const comp = [];
        let w;
        do { w = stack.pop(); onStack.delete(w); comp.push(w); } while (w !== top.v);
        if (comp.length > 1 || next(top.v).includes(top.v)) out.push(comp);
      }
    }
  };
  for (const v of nodes) if (!index.has(v)) strong(v);
  return out;
}

/**
 * Every elementary import loop (Johnson's algorithm, within each strongly connected component), each
 * as a list of files starting at its alphabetically first one. At most `limit` loops are listed.
 */
export function findCycles(graph, { valuesOnly = false, limit = 500 } = {}) {
  const next = (v) => (graph.get(v) ?? []).filter((e) => !valuesOnly || !e.typeOnly).map((e) => e.to);
  const cycles = [];
  for (const comp of loopingComponents([...graph.keys()].sort(), next)) {
    const order = [...comp].sort();
    for (let s = 0; s < order.length && cycles.length < limit; s++) {
      // Loops through order[s] over files order[s..] only, so each loop is found once.
      const allowed = new Set(order.slice(s));
      const start = order[s];
      const blocked = new Set();
      const blockedBy = new Map();
      const path = [];
      const unblock = (u) => {
        const pending = [u];
        while (pending.length) {
          const x = pending.pop();
          if (!blocked.delete(x)) continue;
          for (const w of blockedBy.get(x) ?? []) pending.push(w);
          blockedBy.delete(x);
        }
      };
      const circuit = (v) => {
        let closed = false;
        path.push(v);
        blocked.add(v);
        for (const w of next(v)) {
          if (!allowed.has(w) || cycles.length >= limit) continue;
          if (w === start) {
            cycles.push([...path]);
            closed = true;
          } else if (!blocked.has(w) && circuit(w)) closed = true;
        }
        if (closed) unblock(v);
        else for (const w of next(v)) if (allowed.has(w)) (blockedBy.get(w) ?? blockedBy.set(w, new Set()).get(w)).add(v);
        path.pop();
        return closed;
      };
      circuit(start);
    }
  }
  return cycles;
}

/** The groups of files that import each other round (strongly connected components): one per tangle of loops. */
export function loopGroups(graph, { valuesOnly = false } = {}) {
  const next = (v) => (graph.get(v) ?? []).filter((e) => !valuesOnly || !e.typeOnly).map((e) => e.to);
  return loopingComponents([...graph.keys()].sort(), next).map((c) => c.sort());
}

/** A loop as one line: paths relative to `base`, with forward slashes, the first file repeated at the end. */
export function describeCycle(cycle, base = ROOT) {
  const names = cycle.map((f) => relative(base, f).split(sep).join('/'));
  return [...names, names[0]].join(' -> ');
}

function main(argv) {
  const valuesOnly = argv.includes('--values-only');
  const all = argv.includes('--all');
  const roots = argv.filter((a) => !a.startsWith('--'));
  const graph = importGraph(roots.length ? roots : [join(ROOT, 'server/src'), join(ROOT, 'client/src')]);
  const cycles = findCycles(graph, { valuesOnly }).map((c) => describeCycle(c));
  const allowed = new Set(ALLOWED_CYCLES);
  const failing = cycles.filter((c) => !allowed.has(c));
  const shown = all ? cycles : failing;
  for (const c of shown) console.error(`${allowed.has(c) ? 'allowed import loop' : 'import loop'}: ${c}`);
  // An allowance for a loop that is gone is stale (only the project's own roots can tell).
  const stale = roots.length ? [] : ALLOWED_CYCLES.filter((c) => !cycles.includes(c));
  for (const c of stale) console.error(`allowed loop no longer exists (remove it from ALLOWED_CYCLES): ${c}`);
  const files = graph.size;
  if (failing.length || stale.length) {
    const groups = loopGroups(graph, { valuesOnly }).length;
    console.error(`check-cycles: ${failing.length} import loop${failing.length === 1 ? '' : 's'} not allowed among ${files} files (all loops: ${cycles.length}, in ${groups} group${groups === 1 ? '' : 's'} of files importing each other)${stale.length ? `, ${stale.length} stale allowance${stale.length === 1 ? '' : 's'}` : ''}.`);
    return 1;
  }
  console.log(`check-cycles: no import loop among ${files} files${cycles.length ? ` (${cycles.length} allowed, see ALLOWED_CYCLES)` : ''}.`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
