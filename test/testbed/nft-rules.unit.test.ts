import { describe, expect, test } from 'vitest';
import { PROXY_TABLE, renderProxyRules, type ProxyService } from './src/nft-rules.js';

const node = { underlayIp: '172.30.2.1', podCidr: '10.244.0.0/16', uplink: 'ul0' };
const hello: ProxyService = {
  clusterIp: '10.96.10.10',
  loadBalancerIps: ['172.30.2.100'],
  ports: [
    {
      id: 'default/hello:80',
      protocol: 'tcp',
      port: 80,
      nodePort: 30080,
      endpoints: [
        { ip: '10.244.1.2', port: 8080 },
        { ip: '10.244.1.3', port: 8080 },
      ],
    },
  ],
};

describe('nft-rules', () => {
  test('nft-rules - the script replaces the whole table atomically, even on the first run', () => {
    const lines = renderProxyRules(node, []).split('\n');
    expect(lines.slice(0, 3)).toEqual([`table ip ${PROXY_TABLE}`, `delete table ip ${PROXY_TABLE}`, `table ip ${PROXY_TABLE} {`]);
  });

  test('nft-rules - ClusterIP, LoadBalancer address and NodePort all lead to one random pick over the endpoints', () => {
    const script = renderProxyRules(node, [hello]);
    expect(script).toContain('ip daddr 10.96.10.10 tcp dport 80 goto svc_0');
    expect(script).toContain('ip daddr 172.30.2.100 tcp dport 80 goto svc_0');
    expect(script).toContain('ip daddr 172.30.2.1 tcp dport 30080 goto svc_0');
    expect(script).toContain('numgen random mod 2 vmap { 0 : goto svc_0_ep0, 1 : goto svc_0_ep1 }');
    expect(script).toContain('meta l4proto tcp dnat to 10.244.1.2:8080');
    expect(script).toContain('meta l4proto tcp dnat to 10.244.1.3:8080');
  });

  test('nft-rules - DNATed pod traffic and pod traffic to the underlay are masqueraded', () => {
    const script = renderProxyRules(node, [hello]);
    expect(script).toContain('ip saddr 10.244.0.0/16 ct status dnat masquerade');
    expect(script).toContain('oifname "ul0" ip saddr 10.244.0.0/16 ip daddr != 10.244.0.0/16 masquerade');
  });

  test('nft-rules - a port without ready endpoints gets no rule; UDP ports match udp', () => {
    const script = renderProxyRules(node, [
      { clusterIp: '10.96.0.20', loadBalancerIps: [], ports: [{ id: 'a/empty:80', protocol: 'tcp', port: 80, endpoints: [] }] },
      { clusterIp: '10.96.0.30', loadBalancerIps: [], ports: [{ id: 'a/dns:53', protocol: 'udp', port: 53, endpoints: [{ ip: '10.244.1.9', port: 5353 }] }] },
    ]);
    expect(script).not.toContain('10.96.0.20');
    expect(script).toContain('ip daddr 10.96.0.30 udp dport 53 goto svc_0');
    expect(script).toContain('meta l4proto udp dnat to 10.244.1.9:5353');
  });
});
