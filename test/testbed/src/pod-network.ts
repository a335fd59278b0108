/**
 * A pod's network: its own namespace with eth0, the far end of a veth whose near end is a
 * hairpin port on its node's cbr0 (so a pod can reach a Service that leads back to itself),
 * and name resolution through /etc/netns/<ns>/{hosts,resolv.conf}, which `ip netns exec`
 * bind-mounts over /etc/hosts and /etc/resolv.conf for every process started in the pod.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.js';
import type { NodeNetwork } from './node-network.js';
import { NAME_PREFIX } from './paths.js';

export interface PodNetwork {
  ns: string;
  ip: string;
  hostVeth: string;
}

/** Allocates pod IPs from a node's /24: .1 is the gateway, .2-.254 are pods. */
export class PodIpam {
  private readonly used = new Set<number>();
  private next = 2;

  constructor(private readonly node: NodeNetwork) {}

  allocate(): string | undefined {
    for (let i = 0; i < 253; i++) {
      const host = ((this.next - 2 + i) % 253) + 2;
      if (this.used.has(host)) continue;
      this.used.add(host);
      // Round-robin so a replacement pod does not reuse the IP its predecessor just had.
      this.next = host + 1;
      return `10.244.${this.node.index}.${host}`;
    }
    return undefined;
  }

  release(ip: string): void {
    this.used.delete(Number(ip.split('.')[3]));
  }
}

export function podNetnsName(clusterName: string, uid: string): string {
  return `${NAME_PREFIX}${clusterName}-${uid.replace(/-/g, '').slice(0, 12)}`;
}

export function netnsEtcDir(ns: string): string {
  return join('/etc/netns', ns);
}

export async function writeHosts(ns: string, content: string): Promise<void> {
  // Written in place (same inode): running pods see it through their bind mount.
  await writeFile(join(netnsEtcDir(ns), 'hosts'), content);
}

export async function createPodNetwork(node: NodeNetwork, ns: string, ip: string, hosts: string, searchNamespace: string): Promise<PodNetwork> {
  const hostVeth = `v${ns.slice(-12)}`.slice(0, 15);
  await mkdir(netnsEtcDir(ns), { recursive: true });
  await writeHosts(ns, hosts);
  const search = `${searchNamespace}.svc.cluster.local svc.cluster.local cluster.local`;
  // No DNS server: names come from the hosts file; a lookup that misses fails at once.
  await writeFile(join(netnsEtcDir(ns), 'resolv.conf'), `search ${search}\nnameserver 127.0.0.1\noptions ndots:5 timeout:1 attempts:1\n`);
  await run('ip', ['netns', 'add', ns]);
  const batch = (target: string, lines: string[]) => run('ip', ['-n', target, '-batch', '-'], { input: lines.join('\n') + '\n' });
  await batch(node.ns, [
    `link add ${hostVeth} type veth peer name eth0 netns ${ns}`,
    `link set ${hostVeth} master cbr0`,
    `link set ${hostVeth} type bridge_slave hairpin on`,
    `link set ${hostVeth} up`,
  ]);
  await batch(ns, ['link set lo up', `addr add ${ip}/24 dev eth0`, 'link set eth0 up', `route add default via ${node.gateway}`]);
  return { ns, ip, hostVeth };
}

export async function deletePodNetwork(ns: string): Promise<void> {
  // Deleting the namespace deletes eth0 and with it the veth's node end.
  await run('ip', ['netns', 'delete', ns], { allowFailure: true });
  await rm(netnsEtcDir(ns), { recursive: true, force: true });
}
