/**
 * `skiff-router` with a broken config stops at once: exit code 8, at most three lines naming the
 * entity, the attribute and what is expected, with the code and a hint as the CLI prints them,
 * never a stack trace. Arguments it does not know exit 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRouterOnce } from '../support/router-process.js';
import { TestPki } from '../support/tls-files.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-bad-config-'));
const pki = new TestPki();
const files = pki.issue('router', { password: 'right' });

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  pki.dispose();
});

const router = ['router', { id: 'R', mode: 'interior' }];

const cases: Array<[string, string, RegExp]> = [
  ['malformed JSON, with its line', '[\n["router", {"id": "R"}],\n["listener" {"port": 1}]\n]', /:3:\d+: malformed JSON/],
  ['a port outside 0-65535', JSON.stringify([router, ['listener', { name: 'l', port: 70000 }]]), /listener.*port.*65535/is],
  ['an unknown role', JSON.stringify([router, ['listener', { name: 'l', port: 1, role: 'boss' }]]), /role.*boss/is],
  ['an unknown router mode', JSON.stringify([['router', { id: 'R', mode: 'galactic' }]]), /mode.*galactic/is],
  ['a missing certificate file', JSON.stringify([router, ['sslProfile', { name: 's', certFile: '/nonexistent/cert.pem', privateKeyFile: files.privateKeyFile }]]), /\/nonexistent\/cert\.pem/],
  ['a listener naming an sslProfile that does not exist', JSON.stringify([router, ['listener', { name: 'l', port: 1, sslProfile: 'ghost' }]]), /ghost/],
  ['duplicate entity names', JSON.stringify([router, ['listener', { name: 'twice', port: 1 }], ['listener', { name: 'twice', port: 2 }]]), /twice/],
  ['a connector without host', JSON.stringify([router, ['connector', { name: 'c', port: 1, role: 'inter-router' }]]), /connector.*host/is],
  ['a wrong private-key password', JSON.stringify([router, ['sslProfile', { name: 's', certFile: files.certFile, privateKeyFile: files.privateKeyFile, password: 'wrong' }]]), /password/i],
];

describe('skiff-router - broken configs stop the router with a clear message', () => {
  for (const [what, text, expected] of cases) {
    it(what, async () => {
      const path = join(dir, `${what.replace(/\W+/g, '-')}.json`);
      writeFileSync(path, text);
      const r = await runRouterOnce(['--config', path]);
      expect(r.code).toBe(8);
      const lines = r.stderr.trim().split('\n');
      expect(lines.length).toBeLessThanOrEqual(3);
      expect(lines[0]).toMatch(/^Error: .* \[SKIFF_ERR_CONFIG\]$/);
      expect(lines.at(-1)).toMatch(/^Hint: /);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('an unknown argument exits 2 with the code and a pointer to --help', async () => {
    const r = await runRouterOnce(['--verbose']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(["Error: unknown argument '--verbose' [SKIFF_ERR_USAGE]", "Hint: run 'skiff-router --help' for usage"]);
  });

  it('an unknown entity type and attribute only warn, and the router starts', async () => {
    const path = join(dir, 'warnings.json');
    writeFileSync(path, JSON.stringify([['router', { id: 'R', mode: 'interior', flavour: 'mint' }], ['teapot', { name: 't' }]]));
    const r = await runRouterOnce(['--config', path], 3000);
    expect(r.stderr).toMatch(/teapot/);
    expect(r.stderr).toMatch(/flavour/);
    expect(r.stderr).toMatch(/router R started/);
  });
});
