/**
 * The underlay: one Linux bridge in a namespace of the test bed's own, with every cluster's
 * node namespaces plugged into it. It has no link to the host's namespace, so nothing on it can
 * leave the machine. Addresses (172.30.0.0/16 unless SKIFF_TESTBED_UNDERLAY says otherwise):
 *
 *   172.30.C.N        node N of cluster C (C, N from 1)
 *   172.30.C.100-199  LoadBalancer addresses handed out to cluster C
 *
 *   [skt-c1-n1] ul0 ─┐                     ┌─ ul0 [skt-c2-n1]
 *                    └── br0 [skt-underlay]┘
 */
import { TestbedError } from './errors.js';
import { run } from './exec.js';
import { NAME_PREFIX } from './paths.js';

export const UNDERLAY_NS = `${NAME_PREFIX}underlay`;
const LB_FIRST = 100;
const LB_LAST = 199;

/** The first two octets of the underlay /16. */
export function underlayBase(): string {
  const value = process.env['SKIFF_TESTBED_UNDERLAY'] ?? '172.30';
  if (!/^\d{1,3}\.\d{1,3}$/.test(value)) {
    throw new TestbedError('SKIFF_ERR_TESTBED_UNDERLAY', `SKIFF_TESTBED_UNDERLAY=${value} is not two octets`, 'set it like 172.30 (a /16 unused on this host)');
  }
  return value;
}

export function nodeAddress(cluster: number, node: number): string {
  return `${underlayBase()}.${cluster}.${node}`;
}

function toInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function overlaps(a: string, aBits: number, b: string, bBits: number): boolean {
  const bits = Math.min(aBits, bBits);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((toInt(a) & mask) >>> 0) === ((toInt(b) & mask) >>> 0);
}

/** Refuses an underlay range that clashes with a route or address of the host. */
export async function checkUnderlayFree(): Promise<void> {
  const base = `${underlayBase()}.0.0`;
  const routes = JSON.parse(await run('ip', ['-j', '-4', 'route', 'show', 'table', 'all'])) as { dst?: string }[];
  for (const { dst } of routes) {
    if (!dst || dst === 'default') continue;
    const [net = '', bits = '32'] = dst.split('/');
    if (/^[\d.]+$/.test(net) && !net.startsWith('127.') && overlaps(base, 16, net, Number(bits))) {
      throw new TestbedError('SKIFF_ERR_TESTBED_UNDERLAY', `the underlay ${base}/16 clashes with the host route ${dst}`, 'set SKIFF_TESTBED_UNDERLAY to an unused /16, e.g. 172.29');
    }
  }
}

export async function createUnderlay(): Promise<void> {
  await run('ip', ['netns', 'add', UNDERLAY_NS]);
  await run('ip', ['-n', UNDERLAY_NS, '-batch', '-'], {
    input: ['link set lo up', 'link add br0 type bridge', 'link set br0 up'].join('\n') + '\n',
  });
}

/** Hands out LoadBalancer addresses of one cluster; released ones are reused. */
export class LoadBalancerPool {
  private readonly used = new Map<string, string>();

  constructor(private readonly cluster: number) {}

  /** The address of `key` (namespace/name), allocating one on first use; undefined when full. */
  acquire(key: string): string | undefined {
    const existing = this.used.get(key);
    if (existing) return existing;
    const taken = new Set(this.used.values());
    for (let host = LB_FIRST; host <= LB_LAST; host++) {
      const ip = `${underlayBase()}.${this.cluster}.${host}`;
      if (!taken.has(ip)) {
        this.used.set(key, ip);
        return ip;
      }
    }
    return undefined;
  }

  release(key: string): void {
    this.used.delete(key);
  }

  entries(): [string, string][] {
    return [...this.used.entries()];
  }
}
