/**
 * The `testbed` command for people: up, status, kubeconfig, down; the next `up` after a crash
 * (daemon killed with SIGKILL, its processes and namespaces left running) cleans up first; bad
 * input gets one line and a hint, never a stack trace.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { compiledScript, REPO_ROOT, stateDir } from './src/paths.js';
import { run } from './src/exec.js';
import { nodeAddress, underlayBase } from './src/underlay.js';
import { kubectl, leftovers, waitFor, skipWithoutComponents } from './helpers.js';

const cli = join(REPO_ROOT, 'dist/test/testbed/src/cli.js');

function testbed(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return testbedWith({}, ...args);
}

function testbedWith(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 240_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(skipWithoutComponents())('cli', () => {
  afterAll(async () => {
    await testbed('down');
  }, 120_000);

  test('cli - up, status, kubeconfig and down', async () => {
    const up = await testbed('up', '--clusters', '1');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('test bed is up');
    const status = await testbed('status');
    expect(status.stdout).toMatch(/c1 {2}https:\/\/127\.0\.0\.1:\d+ {2}nodes: c1-n1/);
    const path = (await testbed('kubeconfig', 'c1')).stdout.trim();
    await waitFor('node c1-n1 Ready', async () => (await kubectl(path, ['get', 'nodes'])).stdout.includes('c1-n1   Ready'), 30_000);
    // A plain host on the underlay reaches the node (its apiserver forward listens there).
    const host = await testbed('host', 'vm1');
    expect(host.code, host.stderr).toBe(0);
    expect(host.stdout).toContain(`host vm1  ${underlayBase()}.250.1  run in it: ip netns exec skt-h-vm1 COMMAND`);
    expect((await testbed('status')).stdout).toContain('host vm1');
    expect((await testbed('host', 'vm1')).stderr).toContain('there is already a host "vm1"');
    const port = new URL((await testbed('status')).stdout.match(/https:\/\/127\.0\.0\.1:\d+/)?.[0] ?? 'https://x').port;
    const reach = await run('ip', ['netns', 'exec', 'skt-h-vm1', process.execPath, compiledScript('images/client'), 'tcp', nodeAddress(1, 1), port, 'hi']);
    expect(reach).not.toMatch(/^ERR/);
    const down = await testbed('down');
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(stateDir())).toEqual({ namespaces: [], links: [], tables: [], processes: [], etcNetns: [], stateDir: [] });
    expect((await testbed('status')).stdout).toContain('test bed is down');
  }, 240_000);

  test('cli - up after a crashed run removes its leftovers first', async () => {
    expect((await testbed('up', '--clusters', '1')).code).toBe(0);
    const daemon = Number(readFileSync(join(stateDir(), 'daemon.pid'), 'utf8'));
    process.kill(daemon, 'SIGKILL');
    await waitFor('the daemon to die', () => !existsPid(daemon), 10_000);
    const crashed = await leftovers(stateDir());
    expect(crashed.namespaces.length).toBeGreaterThan(0);
    expect(crashed.processes.length).toBeGreaterThan(0);
    const up = await testbed('up', '--clusters', '1');
    expect(up.code, up.stderr).toBe(0);
    const stale = crashed.processes.filter((pid) => existsPid(Number(pid)));
    expect(stale).toEqual([]);
    expect((await testbed('down')).code).toBe(0);
    expect(await leftovers(stateDir())).toEqual({ namespaces: [], links: [], tables: [], processes: [], etcNetns: [], stateDir: [] });
  }, 240_000);

  test('cli - up on a host without nft fails at once, naming it and what to install', async () => {
    // Every tool the test bed runs except nft.
    const bin = mkdtempSync(join(tmpdir(), 'skiff-no-nft-'));
    try {
      for (const tool of ['ip', 'openssl', 'nsenter', 'mount', 'sh']) {
        const found = (process.env['PATH'] ?? '').split(delimiter).map((d) => join(d, tool)).find((p) => existsSync(p));
        if (found) symlinkSync(found, join(bin, tool));
      }
      const started = Date.now();
      const up = await testbedWith({ PATH: bin }, 'up', '--clusters', '1');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(up.code).toBe(8);
      expect(up.stderr).toContain('Error: the test bed cannot start on this host: no `nft` on PATH: install nftables (apt-get install -y nftables)');
      expect(up.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test('cli - a start that fails in the daemon is reported at once with its cause', async () => {
    const started = Date.now();
    const up = await testbedWith({ SKIFF_TESTBED_UNDERLAY: 'ten.one' }, 'up', '--clusters', '1');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('Error: SKIFF_TESTBED_UNDERLAY=ten.one is not two octets (set it like 172.30');
    expect(await leftovers(stateDir())).toEqual({ namespaces: [], links: [], tables: [], processes: [], etcNetns: [], stateDir: [] });
  });

  test('cli - bad input gets a one-line message and a hint, not a stack trace', async () => {
    const unknown = await testbed('kubeconfig', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Error: no running cluster named "nope" [SKIFF_ERR_TESTBED_USAGE]');
    expect(unknown.stderr).toContain('Hint:');
    const noHost = await testbed('host', 'vm1');
    expect(noHost.code).toBe(3);
    expect(noHost.stderr).toContain('Error: the test bed is not up [SKIFF_ERR_TESTBED_NOT_RUNNING]');
    const usage = await testbed('frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Hint: usage: testbed up');
    for (const out of [unknown.stderr, usage.stderr]) expect(out).not.toMatch(/\n\s+at /);
  });
});

function existsPid(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
