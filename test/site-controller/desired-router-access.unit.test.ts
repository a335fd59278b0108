import { describe, expect, test } from 'vitest';
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { resolveEndpoints } from '../../site-controller/src/desired/access-endpoints.js';
import { parseAccessType, parseLinkAccess } from '../../site-controller/src/desired/link-access.js';
import { routerAccessStatus } from '../../site-controller/src/desired/router-access-status.js';
import { routerService } from '../../site-controller/src/desired/router-service.js';
import { defaultRouterAccess } from '../../site-controller/src/desired/default-router-access.js';
import { unsupportedRouterAccessFields } from '../../site-controller/src/desired/unsupported.js';
import { access, site, SITE_UID } from './desired-fixtures.js';

function withStatus(service: V1Service, status: V1Service['status'], nodePorts: number[] = []): V1Service {
  const ports = (service.spec?.ports ?? []).map((p, i) => ({ ...p, ...(nodePorts[i] === undefined ? {} : { nodePort: nodePorts[i] }) }));
  return { ...service, spec: { ...service.spec, ports }, ...(status === undefined ? {} : { status }) };
}

const pod: V1Pod = { metadata: { name: 'skupper-router-abc' }, status: { hostIP: '172.30.1.1' } };

describe('desired router access', () => {
  test('link access - default is loadbalancer, none and empty are no access, unknown names the supported values', () => {
    expect(parseLinkAccess('default')).toEqual({ kind: 'access', type: 'loadbalancer' });
    expect(parseLinkAccess('nodeport')).toEqual({ kind: 'access', type: 'nodeport' });
    expect(parseLinkAccess(undefined)).toEqual({ kind: 'none' });
    expect(parseLinkAccess('none')).toEqual({ kind: 'none' });
    expect(parseLinkAccess('route')).toEqual({ kind: 'invalid', message: 'linkAccess "route" is not supported: use one of default, loadbalancer, nodeport, local, none' });
    expect(parseAccessType('')).toBe('loadbalancer');
    expect(parseAccessType('ingress')).toBeUndefined();
  });

  test('default router access - skupper-router with both roles and the site server cert, owned by the Site', () => {
    expect(defaultRouterAccess(site(), 'nodeport')).toEqual({
      apiVersion: 'skupper.io/v2alpha1',
      kind: 'RouterAccess',
      metadata: {
        name: 'skupper-router',
        namespace: 'west-ns',
        labels: { 'app.kubernetes.io/part-of': 'skiff', 'app.kubernetes.io/managed-by': 'skiff-site-controller', 'skupper.io/site': 'west' },
        ownerReferences: [{ apiVersion: 'skupper.io/v2alpha1', kind: 'Site', name: 'west', uid: SITE_UID, controller: true, blockOwnerDeletion: true }],
      },
      spec: { accessType: 'nodeport', roles: [{ name: 'inter-router', port: 55671 }, { name: 'edge', port: 45671 }], tlsCredentials: 'skupper-site-server' },
    });
  });

  test('router access - Supported names generateTlsCredentials, issuer, subjectAlternativeNames and settings', () => {
    const ra = access('local');
    ra.spec = { ...ra.spec, generateTlsCredentials: true, issuer: 'x', subjectAlternativeNames: ['a'], settings: { k: 'v' } };
    expect(unsupportedRouterAccessFields(ra)).toEqual(['spec.generateTlsCredentials', 'spec.issuer', 'spec.subjectAlternativeNames', 'spec.settings.k']);
    expect(unsupportedRouterAccessFields(access('local'))).toEqual([]);
  });

  test('router service - type per access type, a port per role and grant 8081 on the default one, router selector', () => {
    const types = { loadbalancer: 'LoadBalancer', nodeport: 'NodePort', local: 'ClusterIP' } as const;
    for (const [type, serviceType] of Object.entries(types)) {
      const service = routerService(access(type as keyof typeof types), 'west', type as keyof typeof types);
      expect(service.metadata?.name).toBe('skupper-router');
      expect(service.spec?.type).toBe(serviceType);
      expect(service.spec?.selector).toEqual({ 'app.kubernetes.io/name': 'skupper-router', 'skupper.io/component': 'router' });
      expect(service.spec?.ports).toEqual([
        { name: 'inter-router', port: 55671, targetPort: 55671, protocol: 'TCP' },
        { name: 'edge', port: 45671, targetPort: 45671, protocol: 'TCP' },
        { name: 'grant', port: 8081, targetPort: 8081, protocol: 'TCP' },
      ]);
      expect(service.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'RouterAccess', name: 'skupper-router', uid: 'ra-uid', controller: true });
      expect(service.metadata?.labels?.['skupper.io/site']).toBe('west');
    }
  });

  test('router service - another RouterAccess gets no grant port', () => {
    const other = { ...access('local'), metadata: { ...access('local').metadata, name: 'extra' } };
    expect(routerService(other, 'west', 'local').spec?.ports?.map((p) => p.name)).toEqual(['inter-router', 'edge']);
  });

  test('endpoints - loadbalancer: the ingress address, each Service port, group skupper-router', () => {
    const service = routerService(access('loadbalancer'), 'west', 'loadbalancer');
    expect(resolveEndpoints(withStatus(service, {}), 'loadbalancer', pod, undefined)).toEqual({ resolved: false, message: 'waiting for a LoadBalancer address for Service skupper-router' });
    expect(resolveEndpoints(withStatus(service, { loadBalancer: { ingress: [{ ip: '172.30.1.100' }] } }), 'loadbalancer', pod, undefined)).toEqual({
      resolved: true,
      endpoints: [
        { name: 'inter-router', host: '172.30.1.100', port: '55671', group: 'skupper-router' },
        { name: 'edge', host: '172.30.1.100', port: '45671', group: 'skupper-router' },
        { name: 'grant', host: '172.30.1.100', port: '8081', group: 'skupper-router' },
      ],
    });
    const named = resolveEndpoints(withStatus(service, { loadBalancer: { ingress: [{ hostname: 'lb.example' }] } }), 'loadbalancer', pod, undefined);
    expect(named.resolved && named.endpoints[0]?.host).toBe('lb.example');
  });

  test('endpoints - nodeport: the configured host or the router pod hostIP, with the node ports', () => {
    const service = withStatus(routerService(access('nodeport'), 'west', 'nodeport'), undefined, [30001, 30002, 30003]);
    const fromPod = resolveEndpoints(service, 'nodeport', pod, undefined);
    expect(fromPod.resolved && fromPod.endpoints.map((e) => `${e.name} ${e.host}:${e.port}`)).toEqual(['inter-router 172.30.1.1:30001', 'edge 172.30.1.1:30002', 'grant 172.30.1.1:30003']);
    const fromSetting = resolveEndpoints(service, 'nodeport', undefined, 'nodes.example');
    expect(fromSetting.resolved && fromSetting.endpoints[0]?.host).toBe('nodes.example');
    expect(resolveEndpoints(service, 'nodeport', undefined, undefined).resolved).toBe(false);
    expect(resolveEndpoints(withStatus(routerService(access('nodeport'), 'west', 'nodeport'), undefined), 'nodeport', pod, undefined)).toMatchObject({ resolved: false });
  });

  test('endpoints - local: the Service name in its namespace, with the Service ports', () => {
    const service = routerService(access('local'), 'west', 'local');
    const local = resolveEndpoints(service, 'local', undefined, undefined);
    expect(local.resolved && local.endpoints.map((e) => `${e.host}:${e.port}`)).toEqual(['skupper-router.west-ns:55671', 'skupper-router.west-ns:45671', 'skupper-router.west-ns:8081']);
    expect(resolveEndpoints(undefined, 'local', undefined, undefined)).toEqual({ resolved: false, message: 'waiting for its Service to be created' });
  });

  test('router access status - Configured and Resolved with endpoints; an unknown type is an Error naming it', () => {
    const now = new Date('2026-12-02T08:00:00Z');
    const endpoints = [{ name: 'inter-router', host: 'h', port: '55671', group: 'skupper-router' }];
    const good = routerAccessStatus({ access: access('local'), site: site(), resolution: { resolved: true, endpoints }, now });
    expect(good).toMatchObject({ status: 'Ready', message: 'OK', endpoints });
    expect(good.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['Configured=True', 'Resolved=True', 'Ready=True', 'Supported=True']);
    const waiting = routerAccessStatus({ access: access('loadbalancer'), site: site(), resolution: { resolved: false, message: 'waiting for a LoadBalancer address' }, now });
    expect(waiting).toMatchObject({ status: 'Pending', message: 'waiting for a LoadBalancer address' });
    expect(waiting.endpoints).toBeUndefined();
    const bad = access('local');
    bad.spec = { ...bad.spec, accessType: 'route' };
    expect(routerAccessStatus({ access: bad, site: site(), resolution: undefined, now })).toMatchObject({
      status: 'Error',
      message: 'accessType "route" is not supported: use one of default, loadbalancer, nodeport, local',
    });
  });
});
