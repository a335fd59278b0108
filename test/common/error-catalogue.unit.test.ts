/**
 * The error catalogue stays true: every code the sources raise is in the one table of
 * common/src/errors and in docs/errors.md with the same exit code, and nothing is listed that no
 * source raises (fastify's meta-test, for Skiff's SKIFF_ERR_* codes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, EXIT_CODE_OF } from '../../common/src/errors/error-codes.js';
import { ExitCode } from '../../common/src/errors/exit-codes.js';
import { errorLines, SkiffError } from '../../common/src/errors/skiff-error.js';
import { REPO_ROOT } from '../support/router-process.js';

/** Where Skiff's programs live: everything that can raise an error a user sees. */
const SOURCE_DIRS = ['common/src', 'router/src', 'cli/src', 'site-controller/src', 'service-controller/src', 'test/testbed/src'];
const TABLE = 'common/src/errors/error-codes.ts';
const CODE = /\bSKIFF_ERR_[A-Z0-9_]+\b/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}

/** Each code the sources name outside the table, with the first file naming it. */
function raisedCodes(): Map<string, string> {
  const raised = new Map<string, string>();
  for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
    if (file === TABLE) continue;
    for (const [code] of readFileSync(join(REPO_ROOT, file), 'utf8').matchAll(CODE)) if (!raised.has(code)) raised.set(code, relative('.', file));
  }
  return raised;
}

const doc = readFileSync(join(REPO_ROOT, 'docs/errors.md'), 'utf8');
const documentedRows = [...doc.matchAll(/^\| `(SKIFF_ERR_[A-Z0-9_]+)` \| (\d) \| [^|]+\|[^|]+\|$/gm)].map((m) => [m[1]!, Number(m[2])] as const);
const documented = new Map(documentedRows);
const table = new Map(Object.entries(EXIT_CODE_OF));

describe('error catalogue - docs/errors.md, the exit code table and the sources agree', () => {
  it('lists each code once, with its meaning and fix', () => {
    expect(documentedRows.length).toBe(documented.size);
    expect(documented.size).toBeGreaterThan(50);
  });

  it('documents every code the sources raise', () => {
    const missing = [...raisedCodes()].filter(([code]) => !documented.has(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing, 'raised but not in docs/errors.md').toEqual([]);
  });

  it('documents no code that no source raises', () => {
    const raised = raisedCodes();
    expect([...documented.keys()].filter((code) => !raised.has(code)), 'in docs/errors.md but raised nowhere').toEqual([]);
  });

  it('gives each code the exit code of the one table', () => {
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(table));
  });

  it('explains every exit code the table uses', () => {
    const exits = new Set([...doc.matchAll(/^\| (\d) \| /gm)].map((m) => Number(m[1])));
    expect([...exits].sort()).toEqual(Object.values(ExitCode).sort());
  });
});

describe('error catalogue - SkiffError', () => {
  it('names every code after itself', () => {
    for (const [name, code] of Object.entries(ErrorCode)) expect(code).toBe(name);
  });

  it('keeps code, hint and cause; its exit code follows from the code', () => {
    const cause = new Error('root');
    const error = new SkiffError('SKIFF_ERR_LINK_NOT_FOUND', 'no link', 'list them', { cause });
    expect([error.code, error.message, error.hint, error.cause, error.exitCode, error.name]).toEqual(['SKIFF_ERR_LINK_NOT_FOUND', 'no link', 'list them', cause, ExitCode.notFound, 'SkiffError']);
  });

  it('prints as every program prints it: message and code, further lines, hint', () => {
    expect(errorLines(new SkiffError('SKIFF_ERR_CONFIG', "r.json: listener 'l': bad\n  expected a port", 'fix it'))).toEqual([
      "Error: r.json: listener 'l': bad [SKIFF_ERR_CONFIG]",
      '  expected a port',
      'Hint: fix it',
    ]);
  });
});
