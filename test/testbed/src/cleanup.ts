/**
 * Removes everything a test bed made, whether it stopped cleanly or crashed: processes inside
 * its network namespaces, control-plane processes (found by the state directory in their
 * command lines), the namespaces themselves (and with them every veth, bridge and nft table
 * inside), /etc/netns entries, mount points made on the host, and the state directory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.js';
import { removeMountPoints } from './mount-points.js';
import { binDir, NAME_PREFIX, REPO_ROOT } from './paths.js';

export async function testbedNamespaces(): Promise<string[]> {
  const out = await run('ip', ['netns', 'list'], { allowFailure: true });
  return out
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(NAME_PREFIX));
}

/**
 * Processes (other than this one) of a test bed: control-plane processes mention the state
 * directory or run a built binary; pods and node helpers run the test bed's compiled scripts.
 */
export function testbedProcesses(stateDir: string): number[] {
  const marks = [stateDir + '/', binDir() + '/', join(REPO_ROOT, 'dist/test/testbed/src/images/'), join(REPO_ROOT, 'dist/test/testbed/src/node-helper.js')];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(join('/proc', entry, 'cmdline'), 'utf8');
      if (marks.some((mark) => cmdline.includes(mark))) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export async function cleanupAll(stateDir: string): Promise<void> {
  const namespaces = await testbedNamespaces();
  for (const ns of namespaces) {
    const pids = (await run('ip', ['netns', 'pids', ns], { allowFailure: true })).split('\n').filter(Boolean).map(Number);
    killAll(pids.filter((pid) => pid !== process.pid));
  }
  const daemonPid = join(stateDir, 'daemon.pid');
  if (existsSync(daemonPid)) {
    const pid = Number(readFileSync(daemonPid, 'utf8'));
    if (pid !== process.pid) killAll([pid]);
  }
  killAll(testbedProcesses(stateDir));
  for (const ns of namespaces) await run('ip', ['netns', 'delete', ns], { allowFailure: true });
  if (existsSync('/etc/netns')) {
    for (const entry of readdirSync('/etc/netns')) {
      if (entry.startsWith(NAME_PREFIX)) await rm(join('/etc/netns', entry), { recursive: true, force: true });
    }
  }
  removeMountPoints(stateDir);
  // Retries: a process killed a moment ago may still have had a file open for writing.
  await rm(stateDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}
