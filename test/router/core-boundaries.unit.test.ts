/**
 * The router core's boundaries, checked on the sources with the TypeScript compiler:
 * - nothing in core/ imports from adaptors/, mgmt/, transport/ or the daemon (layers import downward;
 *   the daemon owns the transports and hands their sockets to the router);
 * - outside core/, nothing reaches the forwarder's tables or counters except through their
 *   read-only views: no member of the `Forwarder` or `ForwardingTables` classes is used, and no
 *   collection a view hands out is written to.
 * Two planted offenders prove that the checks catch what they are for.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'router/src');
const core = join(src, 'core');
/** Where core/ may not import from (layers import downward: codec -> engine -> core -> adaptors/mgmt -> daemon). */
const ABOVE_CORE = [join(src, 'adaptors'), join(src, 'mgmt'), join(src, 'transport'), join(src, 'daemon')];
/** The classes that own the forwarder's tables and counters; outside core/ only their views are read. */
const TABLE_OWNERS = new Map([
  [join(core, 'forwarder.ts'), 'Forwarder'],
  [join(core, 'forwarding-tables.ts'), 'ForwardingTables'],
]);
const WRITERS = new Set(['set', 'delete', 'clear', 'add', 'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill']);

const PLANTED_IMPORT = join(core, 'planted-import.ts');
const PLANTED_WRITE = join(src, 'mgmt', 'planted-write.ts');
const planted = new Map([
  [PLANTED_IMPORT, `import { TcpCounters } from '../adaptors/tcp/counters.js';\nexport const c = new TcpCounters();\n`],
  [
    PLANTED_WRITE,
    `import type { Router } from '../core/router.js';\n` +
      `import type { Link } from '../amqp/engine/link.js';\n` +
      `export function edit(r: Router, l: Link): void {\n` +
      `  r.forwarder.tables.addConsumer('Mx', l);\n` +
      `  (r.forwarding.consumers as Map<string, Link[]>).delete('Mx');\n` +
      `}\n`,
  ],
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function program(): ts.Program {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => planted.get(resolve(file)) ?? readFile(file);
  host.fileExists = (file) => planted.has(resolve(file)) || fileExists(file);
  return ts.createProgram([...sources(src), ...planted.keys()], options, host);
}

function inside(file: string, dir: string): boolean {
  const r = relative(dir, file);
  return r === '' || (!r.startsWith('..') && !r.startsWith('/'));
}

/** The class a symbol is a member of, when it is one of the table owners. */
function ownerOf(symbol: ts.Symbol | undefined): string | undefined {
  for (const d of symbol?.declarations ?? []) {
    const owner = TABLE_OWNERS.get(resolve(d.getSourceFile().fileName));
    if (owner !== undefined && ts.isClassDeclaration(d.parent) && d.parent.name?.text === owner) return owner;
  }
  return undefined;
}

function declaredIn(symbol: ts.Symbol | undefined, files: Iterable<string>): boolean {
  const set = new Set(files);
  return (symbol?.declarations ?? []).some((d) => set.has(resolve(d.getSourceFile().fileName)));
}

function withoutCasts(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

function violations(p: ts.Program): string[] {
  const checker = p.getTypeChecker();
  const found: string[] = [];
  for (const sf of p.getSourceFiles()) {
    const file = resolve(sf.fileName);
    if (!inside(file, src)) continue;
    const where = (node: ts.Node): string => `${relative(root, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (inside(file, core)) {
        const spec = ts.isImportDeclaration(node) || ts.isExportDeclaration(node) ? node.moduleSpecifier : ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword ? node.arguments[0] : undefined;
        if (spec !== undefined && ts.isStringLiteral(spec)) {
          const target = resolve(dirname(file), spec.text);
          if (ABOVE_CORE.some((dir) => inside(target, dir) || target.startsWith(`${dir}-`) || target === `${dir}.js`)) found.push(`${where(node)} core imports ${spec.text}`);
        }
      } else if (ts.isPropertyAccessExpression(node)) {
        const owner = ownerOf(checker.getSymbolAtLocation(node.name));
        if (owner !== undefined) found.push(`${where(node)} uses ${owner}.${node.name.text} outside core/`);
        if (WRITERS.has(node.name.text) && ts.isCallExpression(node.parent) && node.parent.expression === node) {
          const target = withoutCasts(node.expression);
          const symbol = ts.isPropertyAccessExpression(target) ? checker.getSymbolAtLocation(target.name) : undefined;
          if (declaredIn(symbol, TABLE_OWNERS.keys())) found.push(`${where(node)} writes the forwarder's ${target.getText()} outside core/`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

describe('core boundaries - layering and the forwarder tables', () => {
  const found = violations(program());
  const isPlanted = (v: string): boolean => [PLANTED_IMPORT, PLANTED_WRITE].some((f) => v.startsWith(relative(root, f)));

  it('core/ imports nothing from adaptors/, mgmt/, transport/ or the daemon, and nothing outside core/ writes the forwarder tables', () => {
    expect(found.filter((v) => !isPlanted(v))).toEqual([]);
  });

  it('catches a planted import into an adaptor and planted writes to the tables', () => {
    const caught = found.filter(isPlanted).map((v) => v.replace(/:\d+ /, ' '));
    expect(caught).toEqual([
      'router/src/core/planted-import.ts core imports ../adaptors/tcp/counters.js',
      'router/src/mgmt/planted-write.ts uses ForwardingTables.addConsumer outside core/',
      'router/src/mgmt/planted-write.ts uses Forwarder.tables outside core/',
      "router/src/mgmt/planted-write.ts writes the forwarder's r.forwarding.consumers outside core/",
    ]);
  });
});
