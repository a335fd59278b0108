import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '../../dist/site-controller/src/main.js');

/** Runs the built entry point to its exit (it must exit by itself: these are start-up failures). */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const base: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' };
  delete base.KUBERNETES_SERVICE_HOST;
  delete base.POD_NAMESPACE;
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
}

describe('main.js - start-up failures are an error line, a hint and an exit code', () => {
  it('an unknown command exits 2 with the usage', async () => {
    const { code, out } = await run(['bogus'], {});
    expect(code).toBe(2);
    expect(out).toMatch(/site-controller: Error: unknown command 'bogus' \[SKIFF_ERR_USAGE\]\n.* site-controller: Hint: usage: main\.js \[kube-adaptor \[--init\]\]\n$/);
  });

  it('kube-adaptor hands its arguments to the adaptor (which refuses an unknown one: exit 2)', async () => {
    const { code, out } = await run(['kube-adaptor', '--bogus'], {});
    expect(code).toBe(2);
    expect(out).toMatch(/ kube-adaptor: Error: unknown argument --bogus \[SKIFF_ERR_USAGE\]\n.* kube-adaptor: Hint: usage: kube-adaptor \[--init\]\n$/);
    expect(out).not.toContain('site-controller:');
  });

  it('without a namespace the controller exits 8 (config) naming POD_NAMESPACE, with a hint and without a stack', async () => {
    const { code, out } = await run([], {});
    expect(code).toBe(8);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/site-controller: Error: .*POD_NAMESPACE is not set.* \[SKIFF_ERR_CONTROLLER_SETTINGS\]$/);
    expect(lines[1]).toMatch(/site-controller: Hint: set the variable/);
  });

  it('a bad SKIFF_WATCH_NAMESPACES exits 8 naming it', async () => {
    const { code, out } = await run([], { POD_NAMESPACE: 'west', SKIFF_WATCH_NAMESPACES: 'west,Not_OK' });
    expect(code).toBe(8);
    expect(out).toContain("SKIFF_WATCH_NAMESPACES: 'Not_OK' is not a namespace name");
  });

  it('a kubeconfig that cannot be read exits 8 naming KUBECONFIG', async () => {
    const { code, out } = await run([], { POD_NAMESPACE: 'west' });
    expect(code).toBe(8);
    expect(out).toMatch(/site-controller: Error: cannot load API access from KUBECONFIG \(\/nonexistent\/kubeconfig\): .*ENOENT.* \[SKIFF_ERR_CONTROLLER_SETTINGS\]\n.*site-controller: Hint: .*\n$/);
  });
});
