import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, ManagementError, SkiffError, UsageError } from '../../router/src/errors.js';

const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/errors.md'), 'utf8');
const documented = new Set([...doc.matchAll(/^\| `(SKIFF_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]));

describe('config errors - the codes config and management raise', () => {
  const errors: SkiffError[] = [new ConfigError('x'), new UsageError('x'), new ManagementError(404, 'x')];

  it('are distinct, stable and each documented in docs/errors.md', () => {
    expect(errors.map((e) => e.code)).toEqual(['SKIFF_ERR_CONFIG', 'SKIFF_ERR_USAGE', 'SKIFF_ERR_MGMT_REQUEST']);
    for (const e of errors) expect(documented).toContain(e.code);
  });

  it('keep their context: where a config problem is, which status a request failed with', () => {
    const config = new ConfigError('bad port', { file: 'r.json', entity: "listener 'a'", attribute: 'port' });
    expect(config.context).toEqual({ file: 'r.json', entity: "listener 'a'", attribute: 'port' });
    expect(config.name).toBe('ConfigError');
    expect(new ManagementError(501, 'no').statusCode).toBe(501);
  });
});
