/**
 * A plain host on the underlay, outside every cluster: a network namespace with loopback and
 * one leg on the underlay bridge, at an address from a range no cluster uses (172.30.250.N).
 * It models a VM beside the clusters: it reaches their LoadBalancer addresses and NodePorts,
 * and their pods reach it (pod traffic leaves through the node, masqueraded). Processes run in
 * it through `ip netns exec`, with the host's filesystem (a local Skiff site runs there as is).
 *
 *   [skt-h-vm1] lo 127.0.0.1, eth0 172.30.250.1/16 ── uh-vm1 ── br0 [skt-underlay]
 */
import { execFile, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { testbedNamespaces } from './cleanup.js';
import { TestbedError } from './errors.js';
import { run } from './exec.js';
import { NAME_PREFIX } from './paths.js';
import type { ExecResult } from './pod-access.js';
import { underlayBase, UNDERLAY_NS } from './underlay.js';

/** Third octet of host addresses: clusters use 1-9 (nodes .1-.9, LoadBalancers .100-.199). */
const HOST_SUBNET = 250;

export interface HostRunOptions {
  /** Added to (and overriding) this process's environment. */
  env?: Record<string, string>;
  cwd?: string;
}

export interface HostExecOptions extends HostRunOptions {
  input?: string;
  timeoutMs?: number;
}

export interface HostSpawnOptions extends HostRunOptions {
  stdio?: StdioOptions;
}

export interface UnderlayHost {
  name: string;
  /** Its underlay address. */
  address: string;
  netns: string;
  /** Runs argv in the host to completion. */
  exec(argv: readonly string[], options?: HostExecOptions): Promise<ExecResult>;
  /** Starts argv in the host (its own process group); stopped with the test bed. */
  spawn(argv: readonly string[], options?: HostSpawnOptions): ChildProcess;
  /** Kills what it runs. */
  stop(): void;
}

const HOST_NS_PREFIX = `${NAME_PREFIX}h-`;

export interface HostSummary {
  name: string;
  address: string;
  netns: string;
}

/** The hosts that exist now (made by this process or by `testbed host`), from their namespaces. */
export async function listUnderlayHosts(): Promise<HostSummary[]> {
  const hosts: HostSummary[] = [];
  for (const netns of await testbedNamespaces()) {
    if (!netns.startsWith(HOST_NS_PREFIX)) continue;
    const out = await run('ip', ['-n', netns, '-j', '-4', 'addr', 'show', 'dev', 'eth0'], { allowFailure: true });
    const address = (JSON.parse(out || '[]') as { addr_info?: { local: string }[] }[])[0]?.addr_info?.[0]?.local ?? '';
    hosts.push({ name: netns.slice(HOST_NS_PREFIX.length), address, netns });
  }
  return hosts.sort((a, b) => a.name.localeCompare(b.name));
}

export async function createUnderlayHost(name: string): Promise<UnderlayHost> {
  if (!/^[a-z][a-z0-9-]{0,11}$/.test(name)) {
    throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `host name "${name}" must be 1-12 lower-case letters, digits or dashes, starting with a letter`);
  }
  const existing = await listUnderlayHosts();
  if (existing.some((h) => h.name === name)) throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `there is already a host "${name}"`);
  const used = new Set(existing.map((h) => h.address));
  let index = 1;
  while (used.has(`${underlayBase()}.${HOST_SUBNET}.${index}`)) index++;
  if (index > 254) throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', 'at most 254 underlay hosts');
  const netns = `${HOST_NS_PREFIX}${name}`;
  const address = `${underlayBase()}.${HOST_SUBNET}.${index}`;
  const uplink = `uh-${name}`;
  await run('ip', ['netns', 'add', netns]);
  const batch = (ns: string, lines: string[]) => run('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n' });
  await batch(UNDERLAY_NS, [`link add ${uplink} type veth peer name eth0 netns ${netns}`, `link set ${uplink} master br0`, `link set ${uplink} up`]);
  // Loopback up: local Skiff sites bind 127.0.0.1 for their management and service ports.
  await batch(netns, ['link set lo up', `addr add ${address}/16 dev eth0`, 'link set eth0 up']);

  const children = new Set<ChildProcess>();
  const env = (options: HostRunOptions = {}) => ({ ...process.env, ...options.env });
  return {
    name,
    address,
    netns,
    exec(argv, options = {}) {
      return new Promise((resolve) => {
        const child = execFile(
          'ip',
          ['netns', 'exec', netns, ...argv],
          { env: env(options), timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024, ...(options.cwd ? { cwd: options.cwd } : {}) },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
        );
        if (options.input !== undefined) child.stdin?.end(options.input);
      });
    },
    spawn(argv, options = {}) {
      const child = spawn('ip', ['netns', 'exec', netns, ...argv], {
        env: env(options),
        detached: true,
        stdio: options.stdio ?? 'pipe',
        ...(options.cwd ? { cwd: options.cwd } : {}),
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    stop() {
      for (const child of children) {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      children.clear();
    },
  };
}
