/**
 * Renders one node's kube-proxy ruleset (pure). A Service port is a chain that picks one ready
 * endpoint at random and DNATs to it; every Service address (ClusterIP, LoadBalancer address,
 * node address for NodePort) jumps to that chain:
 *
 *   prerouting/output ─▶ services: ip daddr VIP tcp dport P ─▶ svc_3: numgen random mod 2 vmap
 *                                                                 { 0: ep_3_0 (dnat 10.244.1.2:8080),
 *                                                                   1: ep_3_1 (dnat 10.244.1.3:8080) }
 *
 * postrouting masquerades DNATed pod traffic, so that the reply of a pod reached through a
 * Service (hairpin to itself included) returns through this node and is un-NATed here, and pod
 * traffic leaving for the underlay, so that other clusters never see (overlapping) pod IPs.
 */

export const PROXY_TABLE = 'skt-proxy';

export interface ProxyEndpoint {
  ip: string;
  port: number;
}

export interface ProxyServicePort {
  /** namespace/name:port, for the comment on the rule. */
  id: string;
  protocol: 'tcp' | 'udp';
  port: number;
  nodePort?: number;
  endpoints: readonly ProxyEndpoint[];
}

export interface ProxyService {
  clusterIp?: string;
  loadBalancerIps: readonly string[];
  ports: readonly ProxyServicePort[];
}

export interface ProxyNode {
  underlayIp: string;
  podCidr: string;
  uplink: string;
}

export function renderProxyRules(node: ProxyNode, services: readonly ProxyService[]): string {
  const dispatch: string[] = [];
  const chains: string[] = [];
  let n = 0;
  for (const service of services) {
    for (const port of service.ports) {
      // Without ready endpoints there is no rule: the packet goes nowhere and fails fast.
      if (port.endpoints.length === 0) continue;
      const svc = `svc_${n++}`;
      const comment = ` comment "${port.id}"`;
      const match = (ip: string, p: number) => `\t\tip daddr ${ip} ${port.protocol} dport ${p} goto ${svc}${comment}`;
      if (service.clusterIp) dispatch.push(match(service.clusterIp, port.port));
      for (const ip of service.loadBalancerIps) dispatch.push(match(ip, port.port));
      if (port.nodePort) dispatch.push(match(node.underlayIp, port.nodePort));
      const targets = port.endpoints.map((ep, i) => {
        chains.push(`\tchain ${svc}_ep${i} {\n\t\tmeta l4proto ${port.protocol} dnat to ${ep.ip}:${ep.port}\n\t}`);
        return `${i} : goto ${svc}_ep${i}`;
      });
      chains.push(`\tchain ${svc} {\n\t\tnumgen random mod ${port.endpoints.length} vmap { ${targets.join(', ')} }\n\t}`);
    }
  }
  return [
    // Declaring the table first makes the delete succeed on the first run too.
    `table ip ${PROXY_TABLE}`,
    `delete table ip ${PROXY_TABLE}`,
    `table ip ${PROXY_TABLE} {`,
    '\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tjump services\n\t}',
    // nft 1.0 knows the name dstnat only for prerouting; -100 is its value.
    '\tchain output {\n\t\ttype nat hook output priority -100; policy accept;\n\t\tjump services\n\t}',
    '\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;',
    `\t\tip saddr ${node.podCidr} ct status dnat masquerade`,
    `\t\toifname "${node.uplink}" ip saddr ${node.podCidr} ip daddr != ${node.podCidr} masquerade`,
    '\t}',
    `\tchain services {\n${dispatch.join('\n')}\n\t}`,
    ...chains,
    '}',
    '',
  ].join('\n');
}
