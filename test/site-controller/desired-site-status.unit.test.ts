import { describe, expect, test } from 'vitest';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { NetworkStatus } from '../../common/src/kube-api/network-status.js';
import { summarize, ok, pending, failed, supported } from '../../site-controller/src/desired/conditions.js';
import { parseLinkAccess } from '../../site-controller/src/desired/link-access.js';
import { configuringSite } from '../../site-controller/src/desired/site-choice.js';
import { siteStatus, type SiteObservations } from '../../site-controller/src/desired/site-status.js';
import { unsupportedSiteFields } from '../../site-controller/src/desired/unsupported.js';
import { access, site, SITE_UID } from './desired-fixtures.js';

const now = new Date('2026-12-02T09:00:00Z');
const available: V1Deployment = { status: { availableReplicas: 1 } };
const controller = { name: 'skiff-site-controller', namespace: 'skiff', version: '0.1.0' };

function observe(overrides: Partial<SiteObservations>): SiteObservations {
  return { site: site(), configuredBy: undefined, problem: undefined, linkAccess: { kind: 'none' }, deployment: available, routerPods: [], defaultAccess: undefined, network: undefined, controller, now, ...overrides };
}

function types(status: { conditions?: { type: string; status: string }[] }): string[] {
  return (status.conditions ?? []).map((c) => `${c.type}=${c.status}`);
}

describe('desired site status', () => {
  test('conditions - Ready is the AND of the required ones; message OK or the first failure; Error over Pending', () => {
    const ready = summarize([ok('Configured'), ok('Running')], [supported([])], undefined, 3, now);
    expect(ready).toMatchObject({ status: 'Ready', message: 'OK' });
    expect(ready.conditions.every((c) => c.observedGeneration === 3 && c.lastTransitionTime === '2026-12-02T09:00:00Z')).toBe(true);
    expect(summarize([ok('Configured'), pending('Running', 'waiting')], [], undefined, 1, now)).toMatchObject({ status: 'Pending', message: 'waiting' });
    expect(summarize([failed('Configured', 'bad'), pending('Running', 'waiting')], [], undefined, 1, now)).toMatchObject({ status: 'Error', message: 'bad' });
    // Supported=False does not hold Ready back.
    expect(summarize([ok('Configured')], [supported(['spec.ha'])], undefined, 1, now).status).toBe('Ready');
  });

  test('conditions - a condition keeps its transition time while its status holds', () => {
    const first = summarize([pending('Running', 'a')], [], undefined, 1, new Date('2026-12-02T08:00:00Z'));
    const same = summarize([pending('Running', 'b')], [], first.conditions, 1, now);
    expect(same.conditions[0]?.lastTransitionTime).toBe('2026-12-02T08:00:00Z');
    const flipped = summarize([ok('Running')], [], first.conditions, 1, now);
    expect(flipped.conditions[0]?.lastTransitionTime).toBe('2026-12-02T09:00:00Z');
  });

  test('site status - without link access: Configured, Running, Ready; controller and default issuer', () => {
    const status = siteStatus(observe({}));
    expect(status).toMatchObject({ status: 'Ready', message: 'OK', defaultIssuer: 'skupper-site-ca', controller });
    expect(types(status)).toEqual(['Configured=True', 'Running=True', 'Ready=True', 'Supported=True']);
    expect(status.endpoints).toBeUndefined();
  });

  test('site status - with link access: Resolved from the default RouterAccess, endpoints copied', () => {
    const linkAccess = parseLinkAccess('default');
    expect(siteStatus(observe({ linkAccess }))).toMatchObject({ status: 'Pending', message: 'waiting for RouterAccess skupper-router' });
    const resolved = access('loadbalancer');
    const endpoints = [{ name: 'inter-router', host: '172.30.1.100', port: '55671', group: 'skupper-router' }];
    resolved.status = { endpoints, conditions: [{ type: 'Resolved', status: 'True', reason: 'Ready', message: 'OK', observedGeneration: 1, lastTransitionTime: '' }] };
    const status = siteStatus(observe({ linkAccess, defaultAccess: resolved }));
    expect(status).toMatchObject({ status: 'Ready', endpoints });
    expect(types(status)).toEqual(['Configured=True', 'Running=True', 'Resolved=True', 'Ready=True', 'Supported=True']);
  });

  test('site status - Running says what is missing: the Deployment, a pod, or which container is not ready', () => {
    expect(siteStatus(observe({ deployment: undefined })).message).toBe('waiting for Deployment skupper-router to be created');
    expect(siteStatus(observe({ deployment: { status: {} } })).message).toBe('waiting for a pod of Deployment skupper-router');
    const pod: V1Pod = {
      metadata: { name: 'skupper-router-x' },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'kube-adaptor-init', ready: false, restartCount: 2, image: '', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    };
    expect(siteStatus(observe({ deployment: { status: {} }, routerPods: [pod] })).message).toBe('router pod skupper-router-x is not ready (Pending: kube-adaptor-init CrashLoopBackOff)');
  });

  test('site status - an unknown linkAccess and a second Site are Configured=False errors', () => {
    const bad = siteStatus(observe({ linkAccess: parseLinkAccess('route') }));
    expect(bad).toMatchObject({ status: 'Error', message: 'linkAccess "route" is not supported: use one of default, loadbalancer, nodeport, local, none' });
    const second = siteStatus(observe({ site: site({}, 'other'), configuredBy: 'west' }));
    expect(second).toMatchObject({ status: 'Error', message: 'only one Site per namespace: Site west already configures namespace west-ns; delete this one' });
    expect(siteStatus(observe({ problem: 'Secret skupper-site-ca holds no tls.crt' }))).toMatchObject({ status: 'Error', message: 'Secret skupper-site-ca holds no tls.crt' });
  });

  test('site status - the network from the adaptor status, only when it is this site\'s', () => {
    const network: NetworkStatus = { siteId: SITE_UID, links: [], sites: [{ id: SITE_UID, name: 'west' }, { id: 'e', name: 'east' }] };
    expect(siteStatus(observe({ network }))).toMatchObject({ sitesInNetwork: 2, network: network.sites });
    expect(siteStatus(observe({ network: { ...network, siteId: 'someone-else' } })).network).toBeUndefined();
  });

  test('site status - Supported names the fields Skiff ignores', () => {
    const fields = unsupportedSiteFields(site({ ha: true, defaultIssuer: 'my-ca', serviceAccount: 'mine', settings: { size: 'large', 'router-logging': 'debug' } }));
    expect(fields).toEqual(['spec.ha', 'spec.defaultIssuer', 'spec.serviceAccount', 'spec.settings.router-logging', 'spec.settings.size']);
    expect(unsupportedSiteFields(site({ defaultIssuer: 'skupper-site-ca', serviceAccount: 'default' }))).toEqual([]);
    // service-sync-site-ttl is acted on (the service-controller's sync grace) when it is seconds or a Go duration.
    expect(unsupportedSiteFields(site({ settings: { 'service-sync-site-ttl': '3m' } }))).toEqual([]);
    expect(unsupportedSiteFields(site({ settings: { 'service-sync-site-ttl': 'soon' } }))).toEqual([
      "spec.settings.service-sync-site-ttl ('soon' is neither seconds nor a Go duration such as 3m; 180 s is used)",
    ]);
    const status = siteStatus(observe({ site: site({ ha: true }) }));
    expect(status.status).toBe('Ready');
    expect(status.conditions?.find((c) => c.type === 'Supported')).toMatchObject({ status: 'False', reason: 'UnsupportedFields', message: 'Skiff does not act on: spec.ha' });
  });

  test('site choice - the oldest live Site configures the namespace, ties by name', () => {
    const a = site({}, 'b-site');
    const b = { ...site({}, 'a-site'), metadata: { ...site({}, 'a-site').metadata, creationTimestamp: '2026-12-02T09:00:00Z' } };
    const c = site({}, 'a-same-time');
    expect(configuringSite([a, b, c])?.metadata.name).toBe('a-same-time');
    expect(configuringSite([{ ...c, metadata: { ...c.metadata, deletionTimestamp: 'x' } }, b])?.metadata.name).toBe('a-site');
    expect(configuringSite([])).toBeUndefined();
  });
});
