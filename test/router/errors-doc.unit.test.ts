import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');
const documented = [...doc.matchAll(/^\| `(SKIFF_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]!);

describe('errors - every code the router raises', () => {
  const source = readFileSync(join(root, 'router/src/errors.ts'), 'utf8');
  const raised = [...source.matchAll(/'(SKIFF_ERR_[A-Z_]+)'/g)].map((m) => m[1]!);

  it('is raised by one error class only', () => {
    expect(raised.length).toBeGreaterThan(0);
    expect(new Set(raised).size).toBe(raised.length);
  });

  it('is documented once in docs/errors.md with its meaning and fix', () => {
    expect(new Set(documented).size).toBe(documented.length);
    for (const code of raised) expect(documented).toContain(code);
  });
});
