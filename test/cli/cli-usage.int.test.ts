/**
 * The CLI's contract without routers: exit codes, one-line errors with a hint, `-o json` keys. The
 * platform here never runs anything (sites stay stopped), so these tests need no processes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inertPlatform, SkiffHome, type SkiffRun } from './cli-harness.js';

let home: SkiffHome;
beforeEach(() => {
  home = new SkiffHome(inertPlatform);
});
afterEach(() => home.dispose());

function expectError(run: SkiffRun, exitCode: number, code: string): void {
  expect(run.code).toBe(exitCode);
  expect(run.out).toEqual([]);
  expect(run.err).toHaveLength(2);
  expect(run.err[0]).toMatch(new RegExp(`^Error: .+ \\[${code}\\]$`));
  expect(run.err[1]).toMatch(/^Hint: \S/);
  expect(run.err.join('\n')).not.toMatch(/\n\s+at /);
}

describe('cli - usage errors', () => {
  it('reports unknown options and bad values with exit 2 and a pointer to --help', async () => {
    const unknown = await home.run('init', '--bogus');
    expectError(unknown, 2, 'SKIFF_ERR_USAGE');
    expect(unknown.err[1]).toBe("Hint: run 'skiff init --help' for usage");
    expectError(await home.run('init', '--port-base', '70000'), 2, 'SKIFF_ERR_USAGE');
    expectError(await home.run('init', '--router-mode', 'hub'), 2, 'SKIFF_ERR_USAGE');
    expectError(await home.run('init', '--site-name', 'Not_A_Label'), 2, 'SKIFF_ERR_USAGE');
    expectError(await home.run('-o', 'xml', 'version'), 2, 'SKIFF_ERR_USAGE');
  });

  it('shows help with examples and exits 0', async () => {
    const help = await home.run('link', 'create', '--help');
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toMatch(/Examples:\n {2}skiff link create/);
  });
});

describe('cli - sites', () => {
  it('says there is no site (exit 3), or that the choice is ambiguous (exit 2)', async () => {
    expectError(await home.run('status'), 3, 'SKIFF_ERR_SITE_NOT_FOUND');
    await home.ok('init', '--site-name', 'west');
    await home.ok('init', '--site-name', 'east');
    expectError(await home.run('status'), 2, 'SKIFF_ERR_SITE_AMBIGUOUS');
    expectError(await home.run('status', '--site', 'north'), 3, 'SKIFF_ERR_SITE_NOT_FOUND');
    home.env.SKIFF_SITE = 'east';
    expect((await home.ok('status', '-o', 'json')).json().site).toBe('east');
  });

  it('refuses to init a site twice (exit 4)', async () => {
    await home.ok('init', '--site-name', 'west');
    expectError(await home.run('init', '--site-name', 'west'), 4, 'SKIFF_ERR_SITE_EXISTS');
  });

  it('prints init and status as JSON with stable keys', async () => {
    const init = (await home.ok('init', '--site-name', 'west', '--port-base', '25670', '-o', 'json')).json();
    expect(Object.keys(init)).toEqual(['site', 'id', 'routerId', 'mode', 'ingressHost', 'ports', 'running']);
    expect(init.ports).toEqual({ management: 25670, http: 25671, interRouter: 25672, edge: 25673, claims: 25674 });
    const status = (await home.ok('status', '-o', 'json')).json();
    expect(Object.keys(status)).toEqual(['site', 'id', 'routerId', 'mode', 'ingressHost', 'ports', 'running', 'platform', 'pid', 'links', 'incomingLinks', 'exposed', 'services']);
    expect(status).toMatchObject({ running: false, platform: 'inert', pid: null, links: [], incomingLinks: [] });
  });
});

describe('cli - tokens and links', () => {
  it('issues claim and cert tokens only where links can land', async () => {
    const west = (await home.ok('init', '--site-name', 'west', '-o', 'json')).json() as { ports: { claims: number; interRouter: number } };
    const token = join(home.dir, 'west.token');
    const claim = (await home.ok('token', 'create', token, '--name', 'to-east', '-o', 'json')).json();
    expect(claim).toEqual({ file: token, tokenType: 'claim', name: 'to-east', site: 'west', url: `https://127.0.0.1:${west.ports.claims}/to-east` });
    const cert = (await home.ok('token', 'create', token, '--token-type', 'cert', '-o', 'json')).json();
    expect(cert).toEqual({ file: token, tokenType: 'cert', name: 'skupper', site: 'west', url: `amqps://127.0.0.1:${west.ports.interRouter}` });
    expectError(await home.run('token', 'create', token, '--expiry', 'soon'), 2, 'SKIFF_ERR_USAGE');
    await home.ok('init', '--site-name', 'laptop', '--router-mode', 'edge');
    expectError(await home.run('token', 'create', token, '--site', 'laptop'), 2, 'SKIFF_ERR_NO_INGRESS');
  });

  it('refuses a link to itself, a second link to the same site, and bad token files', async () => {
    await home.ok('init', '--site-name', 'west');
    await home.ok('init', '--site-name', 'east');
    const westToken = join(home.dir, 'west.token');
    await home.ok('token', 'create', westToken, '--site', 'west', '--token-type', 'cert');
    expectError(await home.run('link', 'create', westToken, '--site', 'west'), 4, 'SKIFF_ERR_LINK_SELF');
    const created = (await home.ok('link', 'create', westToken, '--site', 'east', '--cost', '2', '-o', 'json')).json();
    expect(created).toMatchObject({ site: 'east', link: 'link1', cost: 2, role: 'inter-router', applied: false });
    expectError(await home.run('link', 'create', westToken, '--site', 'east'), 4, 'SKIFF_ERR_LINK_EXISTS');
    expectError(await home.run('link', 'create', join(home.dir, 'missing.token'), '--site', 'east'), 2, 'SKIFF_ERR_FILE');
    const junk = join(home.dir, 'junk.token');
    writeFileSync(junk, 'kind: ConfigMap\n');
    expectError(await home.run('link', 'create', junk, '--site', 'east'), 2, 'SKIFF_ERR_TOKEN_INVALID');
  });

  it('needs the router for link status, and knows which links, services and exposed hosts exist', async () => {
    await home.ok('init', '--site-name', 'east');
    expectError(await home.run('link', 'delete', 'link9'), 3, 'SKIFF_ERR_LINK_NOT_FOUND');
    expectError(await home.run('link', 'status'), 5, 'SKIFF_ERR_ROUTER_NOT_RUNNING');
    expectError(await home.run('service', 'delete', 'nothing'), 3, 'SKIFF_ERR_SERVICE_NOT_FOUND');
    expectError(await home.run('unexpose', 'host', 'db.local'), 3, 'SKIFF_ERR_SERVICE_NOT_FOUND');
  });
});
