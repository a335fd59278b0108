/**
 * A node's namespace: its leg on the underlay (ul0), the pod bridge cbr0 with the node's /24 of
 * the cluster pod CIDR, and routes to the pod /24s of the other nodes of the same cluster.
 * Every cluster numbers its nodes' /24s the same way, so pod IPs overlap between clusters.
 *
 *   pod ns: eth0 10.244.N.x ── vXXXXXXXX ─ cbr0 10.244.N.1 [node ns] ul0 172.30.C.N ── underlay
 */
import { run } from './exec.js';
import { NAME_PREFIX } from './paths.js';
import { nodeAddress, UNDERLAY_NS } from './underlay.js';

export interface NodeNetwork {
  /** Node name, also its Kubernetes Node name: `c1-n1`. */
  name: string;
  ns: string;
  cluster: number;
  index: number;
  underlayIp: string;
  podSubnet: string;
  gateway: string;
}

export function nodeNetwork(clusterName: string, cluster: number, index: number): NodeNetwork {
  return {
    name: `${clusterName}-n${index}`,
    ns: `${NAME_PREFIX}${clusterName}-n${index}`,
    cluster,
    index,
    underlayIp: nodeAddress(cluster, index),
    podSubnet: `10.244.${index}.0/24`,
    gateway: `10.244.${index}.1`,
  };
}

const batch = (ns: string, lines: string[]) => run('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n' });

export async function createNodeNetwork(node: NodeNetwork, siblings: readonly NodeNetwork[]): Promise<void> {
  await run('ip', ['netns', 'add', node.ns]);
  const uplink = `u-${node.name}`.slice(0, 15);
  await batch(UNDERLAY_NS, [`link add ${uplink} type veth peer name ul0 netns ${node.ns}`, `link set ${uplink} master br0`, `link set ${uplink} up`]);
  await batch(node.ns, [
    'link set lo up',
    `addr add ${node.underlayIp}/16 dev ul0`,
    'link set ul0 up',
    'link add cbr0 type bridge',
    `addr add ${node.gateway}/24 dev cbr0`,
    'link set cbr0 up',
    ...siblings.filter((s) => s.index !== node.index).map((s) => `route add ${s.podSubnet} via ${s.underlayIp}`),
  ]);
  await run('ip', ['netns', 'exec', node.ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
}
