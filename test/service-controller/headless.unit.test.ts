import { describe, expect, test } from 'vitest';
import type { V1Service } from '@kubernetes/client-node';
import { ExposedBy } from '../../common/src/kube-api/exposure.js';
import { headlessConnectors, headlessDefinitionOf } from '../../common/src/kube-api/headless-exposure.js';
import { Annotation, Label } from '../../common/src/kube-api/names.js';
import { API_VERSION, type Listener } from '../../common/src/kube-api/types.js';
import type { ServiceDefinition } from '../../common/src/site-sync/service-definition.js';
import { headlessAddresses, headlessDefinitions, withHeadless } from '../../service-controller/src/headless/headless-definitions.js';
import { headlessObjects } from '../../service-controller/src/headless/headless-service.js';
import { syncedHosts } from '../../service-controller/src/headless/synced-pods.js';
import { seedFromListeners, syncedListeners } from '../../service-controller/src/sync/synced-listeners.js';

const db = (ports = [{ port: 8080, targetPort: 8080 }]) =>
  headlessConnectors({ namespace: 'east', address: 'db', statefulSet: 'db', size: 2, ports, exposedBy: ExposedBy.cli });

const perPod = (host: string, port: number, uid = `uid-${host}-${port}`): Listener => ({
  apiVersion: API_VERSION,
  kind: 'Listener',
  metadata: { name: host, namespace: 'west', uid, labels: { [Label.headless]: 'db', [Label.address]: 'db' } },
  spec: { host, port, routingKey: host },
});

const listenerService = (host: string, clusterIP: string, mark = host): V1Service => ({
  metadata: { name: host, namespace: 'west', labels: { [Label.listenerService]: mark } },
  spec: { clusterIP },
});

describe('headless', () => {
  test('headless - origin: a Connector per pod selecting that pod only, routing key of the pod, the definition annotated', () => {
    const connectors = db();
    expect(connectors.map((c) => [c.metadata.name, c.spec?.routingKey, c.spec?.selector, c.spec?.port])).toEqual([
      ['db-0', 'db-0', 'statefulset.kubernetes.io/pod-name=db-0', 8080],
      ['db-1', 'db-1', 'statefulset.kubernetes.io/pod-name=db-1', 8080],
    ]);
    const labels = connectors[0]?.metadata.labels ?? {};
    expect([labels[Label.address], labels[Label.headless], labels[Label.serviceSync], labels[Label.exposedBy]]).toEqual(['db', 'db', 'announce', 'skiff-cli']);
    expect(headlessDefinitionOf(connectors[1]?.metadata ?? { name: '' })).toEqual({ address: 'db', protocol: 'tcp', ports: [8080], headless: { name: 'db', size: 2, ports: [8080] } });
  });

  test('headless - origin with several ports: db-N-p named, db-N:p routed; a StatefulSet governed by another Service keeps its pod names', () => {
    const two = db([{ port: 5432, targetPort: 15432 }, { port: 8080, targetPort: 8080 }]);
    expect(two.map((c) => [c.metadata.name, c.spec?.routingKey, c.spec?.port])).toEqual([
      ['db-0-5432', 'db-0:5432', 15432],
      ['db-0-8080', 'db-0:8080', 8080],
      ['db-1-5432', 'db-1:5432', 15432],
      ['db-1-8080', 'db-1:8080', 8080],
    ]);
    const web = headlessConnectors({ namespace: 'east', address: 'nginx', statefulSet: 'web', size: 1, ports: [{ port: 80, targetPort: 80 }], exposedBy: ExposedBy.cli });
    expect(web.map((c) => [c.metadata.name, c.metadata.labels?.[Label.address], c.spec?.selector])).toEqual([['web-0', 'nginx', 'statefulset.kubernetes.io/pod-name=web-0']]);
  });

  test('headless - announced: one definition per address from its Connectors; Listeners keep an address they define; malformed annotations are skipped', () => {
    const [first, second] = db();
    if (first === undefined || second === undefined) throw new Error('two connectors expected');
    const broken = { ...second, metadata: { ...second.metadata, name: 'a-broken', annotations: { [Annotation.headless]: '{not json' } } };
    const deleting = { ...first, metadata: { ...first.metadata, name: 'zz', deletionTimestamp: '2026-01-01T00:00:00Z', annotations: { [Annotation.headless]: JSON.stringify({ address: 'gone', protocol: 'tcp', ports: [1], headless: { name: 'g', size: 1, ports: [1] } }) } } };
    const defs = headlessDefinitions([second, broken, first, deleting]);
    expect(defs.map((d) => d.address)).toEqual(['db']);
    expect(headlessAddresses([first])).toEqual(['db']);
    const plain: ServiceDefinition = { address: 'api', protocol: 'tcp', ports: [80] };
    expect(withHeadless([plain], [first]).map((d) => [d.address, d.headless?.size])).toEqual([['api', undefined], ['db', 2]]);
    expect(withHeadless([{ address: 'db', protocol: 'tcp', ports: [1] }], [first])).toEqual([{ address: 'db', protocol: 'tcp', ports: [1] }]);
  });

  test('headless - receiving: a headless definition gives one host per pod, labelled with the address and carrying the definition', () => {
    const definition: ServiceDefinition = { address: 'nginx', protocol: 'tcp', ports: [80], headless: { name: 'web', size: 2, ports: [8080] } };
    const hosts = syncedHosts(definition);
    expect(hosts.map((h) => [h.host, h.labels[Label.headless], h.labels[Label.address]])).toEqual([
      ['web-0', 'nginx', 'nginx'],
      ['web-1', 'nginx', 'nginx'],
    ]);
    expect(headlessDefinitionOf({ name: 'web-0', annotations: hosts[0]?.annotations ?? {} })).toEqual(definition);
    expect(syncedHosts({ address: 'api', protocol: 'tcp', ports: [80] })).toEqual([{ host: 'api', labels: {}, annotations: {} }]);
    expect(syncedHosts({ ...definition, headless: { name: 'web', size: 1e9, ports: [80] } })).toHaveLength(512);
  });

  test('headless - the headless Service has no selector and no ClusterIP; its slice names each pod host by the ClusterIP of its own Service', () => {
    const listeners = [perPod('db-10', 8080), perPod('db-2', 8080), perPod('db-0', 8080), perPod('db-0', 9090, 'uid-x')];
    const services = new Map(
      [listenerService('db-0', '10.96.0.20'), listenerService('db-2', '10.96.0.22'), listenerService('db-10', '10.96.0.30', 'someone-else')].map((s) => [s.metadata?.name ?? '', s]),
    );
    const { service, slice } = headlessObjects('db', 'west', listeners, services);
    expect(service.spec).toEqual({
      clusterIP: 'None',
      ports: [
        { name: 'port-8080', port: 8080, targetPort: 8080, protocol: 'TCP' },
        { name: 'port-9090', port: 9090, targetPort: 9090, protocol: 'TCP' },
      ],
    });
    expect(service.metadata?.labels?.[Label.headlessService]).toBe('db');
    expect(service.metadata?.ownerReferences?.map((o) => [o.kind, o.uid])).toHaveLength(4);
    expect(service.metadata?.ownerReferences?.every((o) => o.controller === undefined)).toBe(true);
    expect(slice.metadata?.labels?.['kubernetes.io/service-name']).toBe('db');
    expect(slice.metadata?.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('service-controller.skiff.io');
    // db-10's Service is someone else's: no endpoint for it; the others in ordinal order.
    expect(slice.endpoints).toEqual([
      { addresses: ['10.96.0.20'], hostname: 'db-0', conditions: { ready: true } },
      { addresses: ['10.96.0.22'], hostname: 'db-2', conditions: { ready: true } },
    ]);
    expect(slice.ports?.map((p) => p.port)).toEqual([8080, 9090]);
  });

  test('headless - service sync makes per-pod synced Listeners for a headless service, and a restart seeds the same service back', () => {
    const remote = { address: 'db', protocol: 'tcp' as const, ports: [5432, 8080], origin: 'east-uid', headless: { name: 'db', size: 2, ports: [5432, 8080] } };
    const made = syncedListeners([remote], { namespace: 'west', name: 'west', uid: 'site-uid' }, new Map([['east-uid', 'east']]));
    expect(made.map((l) => [l.metadata.name, l.spec?.host, l.spec?.port, l.spec?.routingKey])).toEqual([
      ['db-0-5432', 'db-0', 5432, 'db-0:5432'],
      ['db-0-8080', 'db-0', 8080, 'db-0:8080'],
      ['db-1-5432', 'db-1', 5432, 'db-1:5432'],
      ['db-1-8080', 'db-1', 8080, 'db-1:8080'],
    ]);
    expect(made.every((l) => l.metadata.labels?.[Label.headless] === 'db' && l.metadata.labels[Label.serviceSync] === 'synced')).toBe(true);
    expect(seedFromListeners(made).services).toEqual([remote]);
  });
});
