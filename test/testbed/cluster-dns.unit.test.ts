import { describe, expect, test } from 'vitest';
import type { V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';
import { hostsPod, podHostname, renderHosts, serviceRecords } from './src/cluster-dns.js';

const service = (namespace: string, name: string, clusterIP: string): V1Service => ({ metadata: { namespace, name }, spec: { clusterIP } });
const slice = (namespace: string, service: string, endpoints: V1EndpointSlice['endpoints'], addressType = 'IPv4'): V1EndpointSlice => ({
  metadata: { namespace, name: `${service}-abcde`, labels: { 'kubernetes.io/service-name': service } },
  addressType,
  endpoints,
});
const lines = (hosts: string) => hosts.trimEnd().split('\n');

describe('cluster-dns', () => {
  test('cluster-dns - a ClusterIP Service has its qualified names, and its short name in its own namespace only', () => {
    const records = serviceRecords([service('default', 'web', '10.96.0.10'), service('team', 'api', '10.96.0.11')], []);
    const hosts = renderHosts({ namespace: 'default', name: 'client', ip: '10.244.1.2' }, records);
    expect(lines(hosts)).toEqual([
      '127.0.0.1\tlocalhost',
      '10.244.1.2\tclient',
      '10.96.0.10\tweb.default.svc.cluster.local web.default.svc web.default web',
      '10.96.0.11\tapi.team.svc.cluster.local api.team.svc api.team',
    ]);
  });

  test('cluster-dns - a headless Service gives each ready endpoint with a hostname the name hostname.svc, and the Service name every ready address', () => {
    const services = [service('default', 'db', 'None'), service('default', 'plain', '')];
    const slices = [
      slice('default', 'db', [
        { addresses: ['10.244.1.5'], hostname: 'db-0', conditions: { ready: true } },
        { addresses: ['10.96.0.20'], hostname: 'db-1' },
        { addresses: ['10.244.1.7'], hostname: 'db-2', conditions: { ready: false } },
        { addresses: ['10.244.1.8'] },
      ]),
      slice('default', 'db', [{ addresses: ['fd00::1'], hostname: 'db-3' }], 'IPv6'),
      slice('other', 'db', [{ addresses: ['10.244.1.9'], hostname: 'db-9' }]),
    ];
    expect(serviceRecords(services, slices)).toEqual([
      { namespace: 'default', name: 'db', ip: '10.244.1.5' },
      { namespace: 'default', name: 'db-0.db', ip: '10.244.1.5' },
      { namespace: 'default', name: 'db', ip: '10.96.0.20' },
      { namespace: 'default', name: 'db-1.db', ip: '10.96.0.20' },
      { namespace: 'default', name: 'db', ip: '10.244.1.8' },
    ]);
    const fromOther = renderHosts({ namespace: 'team', name: 'client', ip: '10.244.1.2' }, serviceRecords(services, slices));
    expect(fromOther).toContain('10.96.0.20\tdb-1.db.default.svc.cluster.local db-1.db.default.svc db-1.db.default\n');
    expect(fromOther).not.toMatch(/ db-1\.db\n/);
    const fromSame = renderHosts({ namespace: 'default', name: 'client', ip: '10.244.1.2' }, serviceRecords(services, slices));
    expect(fromSame).toContain('10.244.1.5\tdb-0.db.default.svc.cluster.local db-0.db.default.svc db-0.db.default db-0.db\n');
  });

  test('cluster-dns - a pod with a hostname and subdomain names itself by its FQDN, as kubelet writes it', () => {
    const pod: V1Pod = { metadata: { namespace: 'default', name: 'db-0' }, spec: { containers: [], hostname: 'db-0', subdomain: 'db' } };
    expect(lines(renderHosts(hostsPod(pod, '10.244.1.5'), []))[1]).toBe('10.244.1.5\tdb-0.db.default.svc.cluster.local\tdb-0');
    const renamed: V1Pod = { metadata: { namespace: 'default', name: 'web-abc' }, spec: { containers: [], hostname: 'front' } };
    expect(podHostname(renamed)).toBe('front');
    expect(lines(renderHosts(hostsPod(renamed, '10.244.1.6'), []))[1]).toBe('10.244.1.6\tfront');
    expect(podHostname({ metadata: { name: 'web-abc' } })).toBe('web-abc');
  });
});
