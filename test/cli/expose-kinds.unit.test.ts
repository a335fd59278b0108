/**
 * `expose`/`unexpose` of Kubernetes kinds on a local site, and the KIND/NAME form's own errors: no
 * cluster needed, the CLI runs in-process with an empty SKIFF_HOME and no kubeconfig.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/src/cli.js';
import { inertPlatform } from './cli-harness.js';

const home = mkdtempSync(join(tmpdir(), 'skiff-expose-kinds-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function skiff(...args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await runCli(args, { env: { HOME: home, SKIFF_HOME: join(home, 'skiff') }, out: () => undefined, err: (l) => err.push(l), platform: inertPlatform, now: () => new Date() });
  return { code, err: err.join('\n') };
}

describe('expose kinds - on a local site', () => {
  it.each([
    ['expose', 'deployment/hello', '--port', '8080'],
    ['expose', 'statefulset', 'db'],
    ['expose', 'pods', '--selector', 'app=x', '--address', 'x'],
    ['unexpose', 'service/web'],
  ])('%s %s says a Kubernetes site is needed (usage, exit 2)', async (...args) => {
    const run = await skiff(...args);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^Error: 'skiff \w+ \w+' needs a Kubernetes site, and this command runs on a local site \[SKIFF_ERR_USAGE\]\nHint: name the site's namespace with -n NAMESPACE/);
  });

  it('refuses a kind it does not know, and a bad --port, before looking for any site', async () => {
    const unknown = await skiff('expose', 'replicaset/hello');
    expect([unknown.code, unknown.err.split('\n')[0]]).toEqual([2, "Error: 'replicaset/hello' is not something to expose [SKIFF_ERR_USAGE]"]);
    const port = await skiff('expose', 'deployment/hello', '--port', '8080:70000');
    expect(port.code).toBe(2);
    expect(port.err).toContain('70000 is not a port (1-65535)');
  });
});
