/**
 * Tokens across platforms: a local site redeems an AccessToken served by a Kubernetes site's grant
 * server (in this process, against the test bed's real apiserver) and ends up with a link to the
 * endpoints in the Site's status, named after the Kubernetes site's id.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenYaml } from '../../common/src/tokens/access-token.js';
import { SitePaths } from '../../cli/src/site/site-paths.js';
import type { SiteState } from '../../cli/src/site/site-state.js';
import { linkProfileName } from '../../cli/src/site/router-config.js';
import { startGrantSite, type GrantSite } from '../site-controller/grant-server-fixture.js';
import { skipWithoutComponents } from '../testbed/helpers.js';
import { startTestbed, type Testbed } from '../testbed/src/testbed.js';
import { inertPlatform, SkiffHome } from './cli-harness.js';

const skip = skipWithoutComponents();
let tb: Testbed | undefined;
let site: GrantSite;
let home: SkiffHome;
const soon = (): string => new Date(Date.now() + 600_000).toISOString();

beforeAll(async () => {
  if (skip) return;
  tb = await startTestbed({ clusters: 1 });
  site = await startGrantSite(tb.clusters[0]!, 'west');
  home = new SkiffHome(inertPlatform);
  await home.ok('init', '--site-name', 'east', '--ingress', 'none');
  await home.ok('init', '--site-name', 'laptop', '--router-mode', 'edge');
  await home.ok('init', '--site-name', 'spare', '--ingress', 'none');
}, 180_000);

afterAll(async () => {
  await home?.dispose();
  await site?.stop();
  await tb?.stop();
}, 120_000);

/** An AccessToken file for a new grant on the Kubernetes site. */
async function tokenFile(name: string, code: string, grantCode = code, redemptionsAllowed = 1): Promise<string> {
  const uid = await site.grant(name, { redemptionsAllowed }, { code: grantCode, redemptions: 0, expirationTime: soon() });
  const file = join(home.dir, `${name}.yaml`);
  writeFileSync(file, accessTokenYaml({ name, spec: { url: site.url(uid), code, ca: site.ca.cert, linkCost: 2 } }));
  return file;
}

function state(name: string): SiteState {
  return JSON.parse(readFileSync(new SitePaths(home.siteFile(name)).state, 'utf8')) as SiteState;
}

describe.skipIf(skip)('AccessTokens - a local site links to a Kubernetes site', () => {
  it("redeems the token: the link goes to the Site's inter-router endpoint, with the token's cost and the site's id", async () => {
    const file = await tokenFile('for-east', 'c0de');
    const status = await home.ok('token', 'status', file, '-o', 'json');
    expect(status.json()).toMatchObject({ tokenType: 'access', name: 'for-east', linkCost: 2, caExpired: false, usable: true });

    const made = (await home.ok('link', 'create', file, '--site', 'east', '--name', 'to-west', '-o', 'json')).json();
    expect(made).toMatchObject({ link: 'to-west', host: '172.30.1.100', port: 55671, role: 'inter-router', cost: 2, remoteSiteId: site.siteUid });
    const east = state('east');
    expect(east.links).toEqual([{ name: 'to-west', cost: 2, remoteSiteId: site.siteUid, role: 'inter-router', host: '172.30.1.100', port: 55671 }]);
    // The client certificate the grant server issued names east by its site id.
    const paths = new SitePaths(home.siteFile('east'));
    const cert = new X509Certificate(readFileSync(join(paths.certs(linkProfileName('to-west')), 'tls.crt')));
    expect(cert.subject).toBe(`CN=${east.id}`);
  });

  it('links an edge site to the edge endpoint', async () => {
    const made = (await home.ok('link', 'create', await tokenFile('for-laptop', 'c0de'), '--site', 'laptop', '-o', 'json')).json();
    expect(made).toMatchObject({ host: '172.30.1.100', port: 45671, role: 'edge' });
  });

  it('refuses a used-up token, a wrong code and a second link to the same site, each with its code', async () => {
    const once = await tokenFile('once', 'c0de');
    await home.ok('link', 'create', once, '--site', 'spare', '--name', 'first');
    const again = await home.run('link', 'create', once, '--site', 'spare', '--name', 'second');
    expect([again.code, again.err[0]]).toEqual([6, expect.stringMatching(/No such access granted\) \[SKIFF_ERR_CLAIM_USED_UP\]$/)]);
    expect(again.err[1]).toMatch(/new token.*--uses/);

    const wrong = await home.run('link', 'create', await tokenFile('wrong', 'guess', 'c0de'), '--site', 'spare', '--name', 'third');
    expect([wrong.code, wrong.err[0]]).toEqual([6, expect.stringMatching(/\[SKIFF_ERR_CLAIM_REFUSED\]$/)]);

    const duplicate = await home.run('link', 'create', await tokenFile('twice', 'c0de'), '--site', 'spare', '--name', 'fourth');
    expect([duplicate.code, duplicate.err[0]]).toEqual([4, expect.stringMatching(/already linked to site .* \(link 'first'\) \[SKIFF_ERR_LINK_EXISTS\]$/)]);
    expect(state('spare').links.map((l) => l.name)).toEqual(['first']);
  });

  it('names the bad field of an edited AccessToken file', async () => {
    const file = join(home.dir, 'edited.yaml');
    writeFileSync(file, readFileSync(await tokenFile('edited', 'c0de'), 'utf8').replace(/ {2}code: .*\n/, ''));
    const run = await home.run('link', 'create', file, '--site', 'spare');
    expect([run.code, run.err[0]]).toEqual([2, `Error: ${file} is not a usable token: spec.code is missing [SKIFF_ERR_TOKEN_INVALID]`]);
  });
});
