import { describe, expect, test } from 'vitest';
import { API_VERSION, type AccessGrant, type AccessToken } from '../../common/src/kube-api/types.js';
import { parseGoDuration } from '../../site-controller/src/desired/go-duration.js';
import { expirationWindow, grantStatus, randomCode, type GrantObservations } from '../../site-controller/src/desired/grant-status.js';
import { parseLinkAccess } from '../../site-controller/src/desired/link-access.js';
import { linkStatus } from '../../site-controller/src/desired/link-status.js';
import { parseNetworkStatus } from '../../site-controller/src/desired/network-status.js';
import { redeemedObjects } from '../../site-controller/src/desired/redeemed-objects.js';
import { tokenStatus } from '../../site-controller/src/desired/token-status.js';
import { endpoints, link, site, SITE_UID } from './desired-fixtures.js';

const now = new Date('2026-12-02T09:00:00Z');

describe('desired link, grant and token state', () => {
  test('link status - Configured needs the role endpoint and the Secret; a missing Secret says what to do', () => {
    const good = link('to-east', { endpoints: endpoints('h'), tlsCredentials: 'to-east' });
    const missing = linkStatus({ link: good, site: site(), secretExists: false, network: undefined, now });
    expect(missing).toMatchObject({ status: 'Error', message: 'Secret to-east not found: create it or redeem a token again' });
    const noEndpoint = link('x', { endpoints: [{ name: 'edge', host: 'h', port: '1' }], tlsCredentials: 's' });
    expect(linkStatus({ link: noEndpoint, site: site(), secretExists: true, network: undefined, now }).message).toMatch(/no inter-router endpoint/);
    expect(linkStatus({ link: good, site: undefined, secretExists: true, network: undefined, now })).toMatchObject({ status: 'Pending' });
  });

  test('link status - Operational from the network status: connected with the remote site, or why not', () => {
    const good = link('to-east', { endpoints: endpoints('h'), tlsCredentials: 'to-east' });
    const waiting = linkStatus({ link: good, site: site(), secretExists: true, network: undefined, now });
    expect(waiting).toMatchObject({ status: 'Pending', message: 'Not operational: the router has not reported this link yet' });
    const configMap = { data: { 'status.json': JSON.stringify({ siteId: SITE_UID, sites: [], links: [{ name: 'to-east', connected: true, description: '', remoteSiteId: 'e1', remoteSiteName: 'east' }] }) } };
    const up = linkStatus({ link: good, site: site(), secretExists: true, network: parseNetworkStatus(configMap), now });
    expect(up).toMatchObject({ status: 'Ready', message: 'OK', remoteSiteId: 'e1', remoteSiteName: 'east' });
    expect(up.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['Configured=True', 'Operational=True', 'Ready=True', 'Supported=True']);
    const down = { siteId: SITE_UID, sites: [], links: [{ name: 'to-east', connected: false, description: 'connection refused' }] };
    expect(linkStatus({ link: good, site: site(), secretExists: true, network: down, now }).message).toBe('Not operational: connection refused');
  });

  test('network status - a missing or malformed ConfigMap reads as no status', () => {
    expect(parseNetworkStatus(undefined)).toBeUndefined();
    expect(parseNetworkStatus({ data: { 'status.json': '{not json' } })).toBeUndefined();
    expect(parseNetworkStatus({ data: { 'status.json': '{"links": 3}' } })).toBeUndefined();
  });

  test('go duration - units, sums, fractions, and refusals', () => {
    expect(parseGoDuration('15m')).toBe(900_000);
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(parseGoDuration('300ms')).toBe(300);
    expect(parseGoDuration('2h45m10s')).toBe(9_910_000);
    expect(parseGoDuration('-1m')).toBe(-60_000);
    expect(parseGoDuration('0')).toBe(0);
    for (const bad of ['', '15', 'm', '1d', '1h 30m', 'abc', '1.2.3s']) expect(parseGoDuration(bad)).toBeUndefined();
  });

  function grant(spec: AccessGrant['spec'] = {}): AccessGrant {
    return { apiVersion: API_VERSION, kind: 'AccessGrant', metadata: { name: 'g', namespace: 'west-ns', uid: 'grant-uid', generation: 1, creationTimestamp: '2026-12-02T08:50:00Z' }, spec };
  }

  function observe(overrides: Partial<GrantObservations>): GrantObservations {
    return {
      grant: grant(),
      site: site({ linkAccess: 'default' }),
      linkAccess: parseLinkAccess('default'),
      grantEndpoint: { name: 'grant', host: '172.30.1.100', port: '8081' },
      caPem: 'CA PEM',
      code: 'abc',
      now,
      ...overrides,
    };
  }

  test('grant status - url on the grant endpoint with the uid, code, CA, expiry = creation + window (default 15m)', () => {
    const status = grantStatus(observe({}));
    expect(status).toMatchObject({ status: 'Ready', url: 'https://172.30.1.100:8081/grant-uid', code: 'abc', ca: 'CA PEM', expirationTime: '2026-12-02T09:05:00Z' });
    expect(status).not.toHaveProperty('redemptions');
    expect(grantStatus(observe({ grant: grant({ expirationWindow: '1h' }) })).expirationTime).toBe('2026-12-02T09:50:00Z');
  });

  test('grant status - a bad window, no link access, no endpoint yet: each a condition saying what to do', () => {
    expect(grantStatus(observe({ grant: grant({ expirationWindow: '2 days' }) }))).toMatchObject({ status: 'Error', message: 'expirationWindow "2 days" is not a positive duration: use e.g. 15m, 1h or 1h30m' });
    expect(expirationWindow(grant({ expirationWindow: '0s' }))).toMatch(/not a positive duration/);
    const noAccess = grantStatus(observe({ linkAccess: { kind: 'none' } }));
    expect(noAccess).toMatchObject({ status: 'Error', message: 'site has no link access: set Site spec.linkAccess' });
    expect(noAccess.url).toBeUndefined();
    expect(grantStatus(observe({ grantEndpoint: undefined }))).toMatchObject({ status: 'Pending', message: 'waiting for the grant endpoint of RouterAccess skupper-router' });
  });

  test('grant code - 24 characters, random', () => {
    const a = randomCode();
    expect(a).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(randomCode()).not.toBe(a);
  });

  function token(linkCost?: number): AccessToken {
    return {
      apiVersion: API_VERSION,
      kind: 'AccessToken',
      metadata: { name: 'tok', namespace: 'east-ns', uid: 'tok-uid', generation: 1 },
      spec: { url: 'https://h:8081/x', code: 'c', ca: 'ca', ...(linkCost === undefined ? {} : { linkCost }) },
    };
  }

  test('redeemed objects - the Secret and Links of the answer, owned by the token, linkCost over the issuer\'s cost', () => {
    const answer = {
      secret: { name: 'tok', 'tls.crt': 'CRT', 'tls.key': 'KEY', 'ca.crt': 'CA', generatedBy: 'west-uid' },
      links: [{ name: 'tok', endpoints: [{ name: 'inter-router' as const, host: '172.30.1.100', port: 55671 }], cost: 2 }],
    };
    const { secret, links } = redeemedObjects(token(5), 'east', answer);
    expect(secret).toMatchObject({ kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'tok', namespace: 'east-ns', annotations: { 'skupper.io/generated-by': 'west-uid' } } });
    expect(Buffer.from(secret.data?.['tls.key'] ?? '', 'base64').toString()).toBe('KEY');
    expect(secret.metadata?.ownerReferences).toEqual([{ apiVersion: API_VERSION, kind: 'AccessToken', name: 'tok', uid: 'tok-uid', controller: true, blockOwnerDeletion: true }]);
    expect(links).toEqual([{
      apiVersion: API_VERSION,
      kind: 'Link',
      metadata: { name: 'tok', namespace: 'east-ns', labels: expect.objectContaining({ 'skupper.io/site': 'east' }), ownerReferences: secret.metadata?.ownerReferences },
      spec: { endpoints: [{ name: 'inter-router', host: '172.30.1.100', port: '55671' }], tlsCredentials: 'tok', cost: 5 },
    }]);
    expect(redeemedObjects(token(), 'east', answer).links[0]?.spec?.cost).toBe(2);
  });

  test('token status - redeemed, waiting (Pending) or refused (Error)', () => {
    expect(tokenStatus(token(), { kind: 'redeemed' }, now)).toMatchObject({ status: 'Ready', redeemed: true });
    expect(tokenStatus(token(), { kind: 'waiting', message: 'cannot reach' }, now)).toMatchObject({ status: 'Pending', message: 'cannot reach', redeemed: false });
    expect(tokenStatus(token(), { kind: 'refused', message: 'bad code' }, now)).toMatchObject({ status: 'Error', message: 'bad code', redeemed: false });
  });
});
