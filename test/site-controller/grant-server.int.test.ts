/**
 * The grant server against the test bed's real apiserver: AccessGrants with a status, redeemed over
 * HTTPS by common/src/tokens. Each refusal of reference §7.3, the redemption count under concurrent
 * redemptions (optimistic updates), and a certificate change reaching the running server.
 */
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa } from '../../common/src/pki.js';
import { TokenError } from '../../common/src/tokens/errors.js';
import { redeemAccessToken } from '../../common/src/tokens/redeem.js';
import { skipWithoutComponents, waitFor } from '../testbed/helpers.js';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';
import { ENDPOINTS, redemptions, startGrantSite, type GrantSite } from './grant-server-fixture.js';
import { tokenFailure } from '../support/token-failure.js';

const skip = skipWithoutComponents();
let tb: Testbed | undefined;
let site: GrantSite;
const soon = (): string => new Date(Date.now() + 600_000).toISOString();
const ns = 'grants';

beforeAll(async () => {
  if (skip) return;
  tb = await startTestbed({ clusters: 1 });
  site = await startGrantSite(tb.clusters[0]!, ns);
}, 180_000);

afterAll(async () => {
  await site?.stop();
  await tb?.stop();
}, 120_000);


const redeem = (uid: string, code: string, name = 'link1') => redeemAccessToken({ url: site.url(uid), code, ca: site.ca.cert }, { name, subject: 'east-site-uid' });

describe.skipIf(skip)('grant server - redeeming AccessGrants', () => {
  it('redeems a grant once for a client certificate and a Link to the site, then says it is used up', async () => {
    const uid = await site.grant('once', {}, { code: 'c0de', redemptions: 0, expirationTime: soon() });
    const redeemed = await redeem(uid, 'c0de', 'to-west');
    expect(redeemed.secret).toMatchObject({ name: 'to-west', 'ca.crt': site.ca.cert, generatedBy: site.siteUid });
    const cert = new X509Certificate(redeemed.secret['tls.crt']);
    expect(cert.subject).toBe('CN=east-site-uid');
    expect(cert.checkIssued(new X509Certificate(site.ca.cert))).toBe(true);
    expect(redeemed.links).toEqual([{ name: 'to-west', cost: 1, endpoints: ENDPOINTS.map((e) => ({ name: e.name, host: e.host, port: Number(e.port) })) }]);
    expect(await redemptions(tb!.clusters[0]!, ns, 'once')).toBe(1);

    const again = await tokenFailure(redeem(uid, 'c0de'));
    expect([again.code, again.status, again.serverMessage]).toEqual(['SKIFF_ERR_CLAIM_USED_UP', 404, 'No such access granted']);
    expect(site.log.some((l) => l.includes('AccessGrant once refused (404 No such access granted): used up (1 of 1 redemptions made)'))).toBe(true);
  });

  it('refuses a wrong code with 403 without counting it', async () => {
    const uid = await site.grant('guarded', { redemptionsAllowed: 2 }, { code: 'right', redemptions: 0, expirationTime: soon() });
    const error = await tokenFailure(redeem(uid, 'wrong'));
    expect([error.code, error.status, error.serverMessage]).toEqual(['SKIFF_ERR_CLAIM_REFUSED', 403, 'Redemption of access token refused']);
    expect(await redemptions(tb!.clusters[0]!, ns, 'guarded')).toBe(0);
  });

  it('says "No such claim" for an expired grant and for an unknown uid', async () => {
    const uid = await site.grant('expired', {}, { code: 'c0de', redemptions: 0, expirationTime: new Date(Date.now() - 1000).toISOString() });
    const expired = await tokenFailure(redeem(uid, 'c0de'));
    expect([expired.code, expired.status, expired.serverMessage]).toEqual(['SKIFF_ERR_CLAIM_NOT_FOUND', 404, 'No such claim']);
    const unknown = await tokenFailure(redeem('00000000-0000-0000-0000-000000000000', 'c0de'));
    expect([unknown.code, unknown.status]).toEqual(['SKIFF_ERR_CLAIM_NOT_FOUND', 404]);
  });

  it('lets exactly one of concurrent redemptions of a one-use grant win, and exactly two of a two-use one', async () => {
    const one = await site.grant('contested', {}, { code: 'c0de', redemptions: 0, expirationTime: soon() });
    const two = await site.grant('contested-2', { redemptionsAllowed: 2 }, { code: 'c0de', redemptions: 0, expirationTime: soon() });
    for (const [uid, name, allowed] of [[one, 'contested', 1], [two, 'contested-2', 2]] as const) {
      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => redeem(uid, 'c0de', `l${i}`)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(allowed);
      const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as TokenError).code] : []));
      expect(codes).toEqual(Array.from({ length: 5 - allowed }, () => 'SKIFF_ERR_CLAIM_USED_UP'));
      expect(await redemptions(tb!.clusters[0]!, ns, name)).toBe(allowed);
    }
  });

  it('answers 503 without counting the redemption while the Site has no endpoints', async () => {
    const uid = await site.grant('early', {}, { code: 'c0de', redemptions: 0, expirationTime: soon() });
    await site.siteEndpoints([]);
    try {
      const early = await tokenFailure(redeem(uid, 'c0de'));
      expect([early.code, early.status, early.serverMessage]).toEqual(['SKIFF_ERR_CLAIM_REDEEM', 503, 'Site not ready, try again later']);
      expect(await redemptions(tb!.clusters[0]!, ns, 'early')).toBe(0);
    } finally {
      await site.siteEndpoints(ENDPOINTS);
    }
    await expect(redeem(uid, 'c0de')).resolves.toMatchObject({ links: [{ name: 'link1' }] });
  });

  it('answers anything but POST with 405', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(site.url('x'), { method: 'GET', ca: site.ca.cert, agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(405);
  });

  it('serves a new certificate when its Secret changes, without a restart', async () => {
    const other = createCa('skupper-site-ca-2');
    await site.serverCertificate(other);
    const issuer = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: site.port, rejectUnauthorized: false }, () => {
          resolve(socket.getPeerX509Certificate()?.issuer ?? '');
          socket.end();
        });
        socket.on('error', reject);
      });
    await waitFor('the grant server to serve the new certificate', async () => (await issuer()) === 'CN=skupper-site-ca-2', 15_000);
    const uid = await site.grant('after-reload', {}, { code: 'c0de', redemptions: 0, expirationTime: soon() });
    const refused = await tokenFailure(redeem(uid, 'c0de'));
    expect(refused.code).toBe('SKIFF_ERR_CLAIM_TLS');
    await expect(redeemAccessToken({ url: site.url(uid), code: 'c0de', ca: other.cert }, { name: 'n', subject: 's' })).resolves.toMatchObject({ links: [{ name: 'n' }] });
  });
});
