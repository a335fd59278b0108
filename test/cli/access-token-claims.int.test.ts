/**
 * Tokens the other way round: a local site's claim redeemed the way a Kubernetes site redeems an
 * AccessToken (common/src/tokens, v2 headers), so the controller's redeemer can link to local
 * sites. The claims server answers with a v1 cert token, read into the same result as a grant's.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request, type Server } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaimsServer } from '../../cli/src/claims/claims-server.js';
import { SitePaths } from '../../cli/src/site/site-paths.js';
import type { SiteState } from '../../cli/src/site/site-state.js';
import type { ClaimToken } from '../../cli/src/tokens/claim-token.js';
import { readTokenFile } from '../../cli/src/tokens/token-file.js';
import { TokenError } from '../../common/src/tokens/errors.js';
import { parseRedeemAnswer } from '../../common/src/tokens/redeem-answer.js';
import { redeemAccessToken } from '../../common/src/tokens/redeem.js';
import { inertPlatform, SkiffHome } from './cli-harness.js';

let home: SkiffHome;
let server: Server;
let west: SiteState;

beforeAll(async () => {
  home = new SkiffHome(inertPlatform);
  await home.ok('init', '--site-name', 'west');
  const paths = new SitePaths(home.siteFile('west'));
  west = JSON.parse(readFileSync(paths.state, 'utf8')) as SiteState;
  server = createClaimsServer({ state: west, paths }, '0.1.0', () => undefined);
  await new Promise<void>((done) => server.listen(west.ports.claims, '127.0.0.1', done));
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done));
  await home?.dispose();
});

let tokens = 0;
async function claim(): Promise<ClaimToken> {
  const file = join(home.dir, `claim-${++tokens}.yaml`);
  await home.ok('token', 'create', file, '--site', 'west');
  const read = readTokenFile(file);
  if (read.kind !== 'claim') throw new Error(`expected a claim token, read ${read.kind}`);
  return read.token;
}

describe('claims - redeemed by the v2 redeemer', () => {
  it("redeems a local site's claim into a Secret and a Link to its endpoints, then says it is used up", async () => {
    const token = await claim();
    const spec = { url: token.url, code: token.password, ca: token.ca };
    const redeemed = await redeemAccessToken(spec, { name: 'to-west', subject: 'kube-site-uid' });
    expect([redeemed.secret.name, redeemed.links[0]?.name, redeemed.secret.generatedBy]).toEqual(['to-west', 'to-west', west.id]);
    expect(new X509Certificate(redeemed.secret['tls.crt']).subject).toBe('CN=kube-site-uid');
    expect(redeemed.links[0]?.endpoints).toEqual([
      { name: 'inter-router', host: '127.0.0.1', port: west.ports.interRouter },
      { name: 'edge', host: '127.0.0.1', port: west.ports.edge },
    ]);
    const again = await redeemAccessToken(spec, { name: 'to-west', subject: 'kube-site-uid' }).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(TokenError);
    expect([(again as TokenError).code, (again as TokenError).serverMessage]).toEqual(['SKIFF_ERR_CLAIM_USED_UP', 'Claim used up']);
  });

  it('names the client certificate after the subject header alone (what Skupper v2 redeemers send)', async () => {
    const token = await claim();
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request(token.url, { method: 'POST', ca: token.ca, agent: false, headers: { subject: 'only-subject' } }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`${response.statusCode} ${body}`))));
      });
      req.on('error', reject);
      req.end(token.password);
    });
    expect(new X509Certificate(parseRedeemAnswer(answer, token.url).secret['tls.crt']).subject).toBe('CN=only-subject');
  });
});
