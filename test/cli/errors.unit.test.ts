import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, ErrorCode, ExitCode } from '../../cli/src/errors.js';
import { REPO_ROOT } from '../support/router-process.js';

const readme = readFileSync(join(REPO_ROOT, 'cli', 'README.md'), 'utf8');

describe('errors - the catalogue', () => {
  it('names every code after itself, with the SKIFF_ERR_ prefix', () => {
    for (const [name, code] of Object.entries(ErrorCode)) {
      expect(code).toBe(name);
      expect(code).toMatch(/^SKIFF_ERR_[A-Z_]+$/);
    }
  });

  it('documents every code and every exit code in cli/README.md', () => {
    for (const code of Object.values(ErrorCode)) expect(readme).toMatch(new RegExp(`\\| ${code} \\| \\d \\|`));
    for (const exit of Object.values(ExitCode)) expect(readme).toMatch(new RegExp(`^\\| ${exit} \\| `, 'm'));
  });

  it('documents each code with the exit code CliError uses for it', () => {
    const documented = new Map([...readme.matchAll(/^\| (SKIFF_ERR_\w+) \| (\d) \|/gm)].map((m) => [m[1], Number(m[2])]));
    expect([...documented.keys()].sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it('keeps code, exit code and hint on the error', () => {
    const error = new CliError(ExitCode.notFound, ErrorCode.SKIFF_ERR_LINK_NOT_FOUND, 'no link', 'list them');
    expect(error).toBeInstanceOf(Error);
    expect([error.exitCode, error.code, error.message, error.hint]).toEqual([3, 'SKIFF_ERR_LINK_NOT_FOUND', 'no link', 'list them']);
  });
});
