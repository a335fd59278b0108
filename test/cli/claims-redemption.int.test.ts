/**
 * Claim tokens end to end without a router: `token create` on one site, the claims server serving
 * that site over real HTTPS on 127.0.0.1, and `link create` on another site redeeming the token.
 * Every way a redemption can fail is asserted with its code, exit code and hint.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa } from '../../common/src/pki.js';
import { createClaimsServer } from '../../cli/src/claims/claims-server.js';
import { SitePaths } from '../../cli/src/site/site-paths.js';
import type { SiteState } from '../../cli/src/site/site-state.js';
import { inertPlatform, SkiffHome, type SkiffRun } from './cli-harness.js';

let home: SkiffHome;
let server: Server | undefined;

async function serveClaims(site: string): Promise<void> {
  const paths = new SitePaths(home.siteFile(site));
  const state = JSON.parse(readFileSync(paths.state, 'utf8')) as SiteState;
  const started = createClaimsServer({ state, paths }, '0.1.0', () => undefined);
  await new Promise<void>((done) => started.listen(state.ports.claims, '127.0.0.1', done));
  server = started;
}

async function stopClaims(): Promise<void> {
  const running = server;
  server = undefined;
  if (running === undefined) return;
  running.closeAllConnections();
  await new Promise((done) => running.close(done));
}

beforeAll(async () => {
  home = new SkiffHome(inertPlatform);
  await home.ok('init', '--site-name', 'west');
  for (const site of ['east', 'north', 'south', 'spare']) await home.ok('init', '--site-name', site, '--ingress', 'none');
  await serveClaims('west');
});

afterAll(async () => {
  await stopClaims();
  await home.dispose();
});

let tokens = 0;
/** A fresh claim token from west; `edit` rewrites the file's text. */
async function claimFromWest(extra: string[] = [], edit?: (text: string) => string): Promise<string> {
  const file = join(home.dir, `claim-${++tokens}.yaml`);
  await home.ok('token', 'create', file, '--site', 'west', ...extra);
  if (edit !== undefined) writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return file;
}

function expectFailure(run: SkiffRun, exit: number, code: string, hint: RegExp): void {
  expect(run.code).toBe(exit);
  expect(run.out).toEqual([]);
  expect(run.err).toHaveLength(2);
  expect(run.err[0]).toMatch(new RegExp(`^Error: .+ \\[${code}\\]$`));
  expect(run.err[1]).toMatch(hint);
}

const swapData = (key: string, value: string) => (text: string) => text.replace(new RegExp(`${key.replace('.', '\\.')}: \\S+`), `${key}: ${Buffer.from(value).toString('base64')}`);

describe('claims redemption - over HTTPS to the issuing site', () => {
  it('redeems a claim into a link with the issuing site as its remote, then refuses it used up', async () => {
    const claim = await claimFromWest(['--uses', '1']);
    const created = (await home.ok('link', 'create', claim, '--site', 'north', '-o', 'json')).json();
    const westId = (JSON.parse(readFileSync(home.siteFile('west', 'site.json'), 'utf8')) as SiteState).id;
    expect(created).toMatchObject({ site: 'north', link: 'link1', host: '127.0.0.1', role: 'inter-router', remoteSiteId: westId, applied: false });
    // The client certificate west issued is in north's link profile, with west's CA.
    expect(readFileSync(home.siteFile('north', 'certs', 'link1-profile', 'ca.crt'), 'utf8')).toBe(readFileSync(home.siteFile('west', 'certs', 'site-ca', 'tls.crt'), 'utf8'));
    const again = await home.run('link', 'create', claim, '--site', 'south');
    expectFailure(again, 6, 'SKIFF_ERR_CLAIM_USED_UP', /new token.*--uses/);
    expect(JSON.parse(readFileSync(home.siteFile('west', 'claims', `${readClaimName(claim)}.json`), 'utf8'))).toMatchObject({ remaining: 0, made: 1 });
  });

  // 'spare' is never linked, so each refusal below is the claims server's, not a duplicate link's.
  it('lets a claim with --uses 2 link two sites', async () => {
    const claim = await claimFromWest(['--uses', '2']);
    await home.ok('link', 'create', claim, '--site', 'south');
    await home.ok('link', 'create', claim, '--site', 'east');
    expect(linksOf('south')).toEqual(['link1']);
    expect(linksOf('east')).toEqual(['link1']);
  });

  it('refuses a second link to the same site without spending the claim', async () => {
    const claim = await claimFromWest(['--uses', '1']);
    expectFailure(await home.run('link', 'create', claim, '--site', 'north'), 4, 'SKIFF_ERR_LINK_EXISTS', /skiff link delete link1/);
    expect(JSON.parse(readFileSync(home.siteFile('west', 'claims', `${readClaimName(claim)}.json`), 'utf8'))).toMatchObject({ remaining: 1, made: 0 });
  });

  it('refuses to link a site to itself', async () => {
    expectFailure(await home.run('link', 'create', await claimFromWest(), '--site', 'west'), 4, 'SKIFF_ERR_LINK_SELF', /another site/);
  });

  it('says the claim expired when --expiry has passed', async () => {
    const claim = await claimFromWest(['--expiry', '1s']);
    await new Promise((done) => setTimeout(done, 1100));
    expectFailure(await home.run('link', 'create', claim, '--site', 'spare', '--name', 'late'), 6, 'SKIFF_ERR_CLAIM_EXPIRED', /--expiry/);
  });

  it('says the password was refused when it was edited in the file', async () => {
    const claim = await claimFromWest([], swapData('password', 'guess'));
    expectFailure(await home.run('link', 'create', claim, '--site', 'spare', '--name', 'edited'), 6, 'SKIFF_ERR_CLAIM_REFUSED', /edited/);
  });

  it('says TLS failed when the CA in the file was replaced by another valid one', async () => {
    const claim = await claimFromWest([], swapData('ca.crt', createCa('intruder').cert));
    const run = await home.run('link', 'create', claim, '--site', 'spare', '--name', 'tampered');
    expectFailure(run, 6, 'SKIFF_ERR_CLAIM_TLS', /CA in the token/);
    expect(run.err[0]).toMatch(/^Error: TLS to https:\/\/127\.0\.0\.1:\d+\/\S+ failed: /);
  });

  it('says the token is unusable when its CA is no certificate at all', async () => {
    const claim = await claimFromWest([], swapData('ca.crt', 'not a certificate'));
    const run = await home.run('link', 'create', claim, '--site', 'spare');
    expectFailure(run, 2, 'SKIFF_ERR_TOKEN_INVALID', /token create/);
    expect(run.err[0]).toContain('data.ca.crt is not a PEM certificate');
  });

  it('says the issuing site has no such claim when the name in the URL is unknown', async () => {
    const claim = await claimFromWest([], (text) => text.replace(/(skupper\.io\/url: https:\/\/\S+\/)\S+/, '$1no-such-claim'));
    expectFailure(await home.run('link', 'create', claim, '--site', 'spare'), 6, 'SKIFF_ERR_CLAIM_NOT_FOUND', /re-created|created again/);
  });

  it('says the claims server is unreachable when nothing listens there', async () => {
    const claim = await claimFromWest();
    await stopClaims();
    try {
      const run = await home.run('link', 'create', claim, '--site', 'spare', '--name', 'nobody');
      expectFailure(run, 6, 'SKIFF_ERR_CLAIMS_UNREACHABLE', /issuing site runs/);
      expect(run.err[0], run.err[0]).toContain('ECONNREFUSED');
    } finally {
      await serveClaims('west');
    }
    // No half-made link is left behind by a failed redemption.
    expect(linksOf('spare')).toEqual([]);
  });
});

describe('token files - what is not a token', () => {
  const write = (name: string, text: string): string => {
    const file = join(home.dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('refuses a cert token whose CA was swapped, before any link is made', async () => {
    const cert = join(home.dir, 'swapped-cert.yaml');
    await home.ok('token', 'create', cert, '--site', 'west', '--token-type', 'cert');
    writeFileSync(cert, swapData('ca.crt', createCa('intruder').cert)(readFileSync(cert, 'utf8')));
    const run = await home.run('link', 'create', cert, '--site', 'spare');
    expectFailure(run, 2, 'SKIFF_ERR_TOKEN_INVALID', /token create/);
    expect(run.err[0]).toContain('its certificate is not signed by its CA');
    expect(linksOf('spare')).toEqual([]);
  });

  it('reports a YAML error with its line', async () => {
    const run = await home.run('link', 'create', write('broken.yaml', 'kind: Secret\nmetadata:\n  name: [unclosed\n'), '--site', 'spare');
    expectFailure(run, 2, 'SKIFF_ERR_TOKEN_INVALID', /token create/);
    expect(run.err[0]).toMatch(/not YAML .*line \d+/);
  });

  it('names a missing field of a claim token', async () => {
    const file = write('bare.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n  labels:\n    skupper.io/type: token-claim\n');
    const run = await home.run('link', 'create', file, '--site', 'spare');
    expectFailure(run, 2, 'SKIFF_ERR_TOKEN_INVALID', /token create/);
    expect(run.err[0]).toContain('annotation skupper.io/url is missing');
  });

  it('says a file that is no Secret is not a token, and a missing file cannot be read', async () => {
    expect((await home.run('link', 'create', write('list.yaml', '- a\n- b\n'), '--site', 'spare')).err[0]).toMatch(/is not a usable token: expected a Secret or an AccessToken \[SKIFF_ERR_TOKEN_INVALID\]$/);
    expectFailure(await home.run('link', 'create', join(home.dir, 'absent.yaml'), '--site', 'spare'), 2, 'SKIFF_ERR_FILE', /path/);
  });
});

describe('token status - what a token holds and whether it can be used', () => {
  it('shows a fresh claim as usable with its redemptions left, under stable JSON keys', async () => {
    const claim = await claimFromWest(['--uses', '2', '--expiry', '1h']);
    const status = (await home.ok('token', 'status', claim, '-o', 'json')).json();
    expect(Object.keys(status).sort()).toEqual(['expiration', 'expired', 'file', 'generatedBy', 'issuingSite', 'made', 'name', 'remaining', 'tokenType', 'url', 'usable']);
    expect(status).toMatchObject({ tokenType: 'claim', issuingSite: 'west', expired: false, remaining: 2, made: 0, usable: true });
    const text = (await home.ok('token', 'status', claim)).out;
    expect(text[0]).toBe(`Token ${readClaimName(claim)} (claim)`);
    expect(text).toContain('  usable:       yes');
  });

  it('shows a claim as expired once its expiry has passed on the clock', async () => {
    const claim = await claimFromWest(['--expiry', '15m']);
    home.now = () => new Date(Date.now() + 16 * 60_000);
    try {
      expect((await home.ok('token', 'status', claim, '-o', 'json')).json()).toMatchObject({ expired: true, usable: false, remaining: 1 });
    } finally {
      home.now = () => new Date();
    }
  });

  it('shows a used-up claim as unusable', async () => {
    const claim = await claimFromWest(['--uses', '1']);
    await home.ok('link', 'create', claim, '--site', 'spare', '--name', 'used');
    expect((await home.ok('token', 'status', claim, '-o', 'json')).json()).toMatchObject({ remaining: 0, made: 1, usable: false });
    await home.ok('link', 'delete', 'used', '--site', 'spare');
  });

  it('says when the issuing site is not on this machine', async () => {
    const claim = await claimFromWest();
    const elsewhere = new SkiffHome(inertPlatform);
    try {
      expect((await elsewhere.ok('token', 'status', claim, '-o', 'json')).json()).toMatchObject({ issuingSite: null, remaining: null, made: null, usable: true });
    } finally {
      await elsewhere.dispose();
    }
  });

  it('checks a cert token: endpoints, certificate expiry, and that its CA signed its certificate', async () => {
    const cert = join(home.dir, 'cert-token.yaml');
    await home.ok('token', 'create', cert, '--site', 'west', '--token-type', 'cert');
    const status = (await home.ok('token', 'status', cert, '-o', 'json')).json();
    expect(Object.keys(status).sort()).toEqual(['edge', 'expired', 'file', 'generatedBy', 'interRouter', 'issuingSite', 'name', 'notAfter', 'signedByCa', 'tokenType', 'usable']);
    expect(status).toMatchObject({ tokenType: 'cert', name: 'skupper', issuingSite: 'west', expired: false, signedByCa: true, usable: true });
    writeFileSync(cert, swapData('ca.crt', createCa('intruder').cert)(readFileSync(cert, 'utf8')));
    expect((await home.ok('token', 'status', cert, '-o', 'json')).json()).toMatchObject({ signedByCa: false, usable: false });
  });

  it('refuses a file that is not a token the way link create does', async () => {
    const file = join(home.dir, 'configmap.yaml');
    writeFileSync(file, 'kind: ConfigMap\n');
    expectFailure(await home.run('token', 'status', file), 2, 'SKIFF_ERR_TOKEN_INVALID', /token create/);
  });
});

function linksOf(site: string): string[] {
  return (JSON.parse(readFileSync(home.siteFile(site, 'site.json'), 'utf8')) as SiteState).links.map((l) => l.name);
}

function readClaimName(file: string): string {
  const match = /\n {2}name: (\S+)/.exec(readFileSync(file, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`no metadata.name in ${file}`);
  return match[1];
}
