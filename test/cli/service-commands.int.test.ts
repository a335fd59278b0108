import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inertPlatform, SkiffHome, type SkiffRun } from './cli-harness.js';

let home: SkiffHome;

beforeEach(() => {
  home = new SkiffHome(inertPlatform);
});

afterEach(() => home.dispose());

function expectError(run: SkiffRun, exit: number, code: string): void {
  expect(run.code).toBe(exit);
  expect(run.err[0]).toMatch(new RegExp(`^Error: .* \\[${code}\\]$`));
  expect(run.err[1]).toMatch(/^Hint: /);
}

describe('service commands - definitions and targets in the site state', () => {
  it('stores the sync grace and refuses one too short to work', async () => {
    await home.ok('init', '--site-name', 'west', '--sync-grace', '1m30s');
    expect(JSON.parse(readFileSync(home.siteFile('west', 'site.json'), 'utf8'))).toMatchObject({ syncGraceSeconds: 90 });
    expect((await home.ok('service', 'status', '-o', 'json')).json()).toEqual({ site: 'west', services: [] });
    expect((await home.ok('service', 'status')).out).toEqual(['No services defined']);
    expectError(await home.run('init', '--site-name', 'east', '--sync-grace', '1s'), 2, 'SKIFF_ERR_USAGE');
  });

  it('binds and unbinds targets of a service, and refuses unknown services, hosts and duplicate targets', async () => {
    await home.ok('init', '--site-name', 'west');
    expectError(await home.run('service', 'bind', 'db', 'host', '10.0.0.1', '--port', '5432'), 3, 'SKIFF_ERR_SERVICE_NOT_FOUND');
    expectError(await home.run('service', 'bind', 'db', 'pod', '10.0.0.1', '--port', '5432'), 2, 'SKIFF_ERR_USAGE');
    await home.ok('service', 'create', 'db', '15432');
    const bound = (await home.ok('service', 'bind', 'db', 'host', '10.0.0.1', '--port', '5432', '-o', 'json')).json();
    expect(bound).toEqual({ site: 'west', service: 'db', host: '10.0.0.1', port: 5432, applied: false });
    await home.ok('service', 'bind', 'db', 'host', '10.0.0.2', '--port', '5432');
    expectError(await home.run('service', 'bind', 'db', 'host', '10.0.0.1', '--port', '5432'), 4, 'SKIFF_ERR_TARGET_EXISTS');
    const status = (await home.ok('service', 'status', '-o', 'json')).json() as { services: Array<Record<string, unknown>> };
    expect(status.services).toEqual([
      { address: 'db', protocol: 'tcp', host: '127.0.0.1', port: 15432, origin: 'local', originSiteId: expect.any(String), originSiteName: 'west', targets: [{ host: '10.0.0.1', port: 5432 }, { host: '10.0.0.2', port: 5432 }] },
    ]);
    expect((await home.ok('service', 'status')).out).toEqual([
      'Services exposed through Skiff:',
      '╰─ db:15432 (tcp)',
      '   ├─ origin: this site',
      '   ╰─ targets:',
      '      ├─ 10.0.0.1:5432',
      '      ╰─ 10.0.0.2:5432',
    ]);
    expect((await home.ok('service', 'unbind', 'db', 'host', '10.0.0.1', '-o', 'json')).json()).toEqual({ site: 'west', service: 'db', host: '10.0.0.1', ports: [5432], applied: false });
    expectError(await home.run('service', 'unbind', 'db', 'host', '10.0.0.1'), 3, 'SKIFF_ERR_TARGET_NOT_FOUND');
    expect((await home.ok('service', 'status', '-o', 'json')).json()).toMatchObject({ services: [{ address: 'db', targets: [{ host: '10.0.0.2' }] }] });
  });

  it('defines a service with expose and drops it with its last target on unexpose', async () => {
    await home.ok('init', '--site-name', 'east');
    await home.ok('expose', 'host', '127.0.0.1', '--port', '8080', '--address', 'hello');
    const [service] = ((await home.ok('service', 'status', '-o', 'json')).json() as { services: Array<{ port: number }> }).services;
    expect(service).toMatchObject({ address: 'hello', origin: 'local', targets: [{ host: '127.0.0.1', port: 8080 }] });
    expect(service?.port).toBeGreaterThan(0);
    expectError(await home.run('expose', 'host', '127.0.0.2', '--port', '8080', '--address', 'hello'), 4, 'SKIFF_ERR_SERVICE_EXISTS');
    await home.ok('unexpose', 'host', '127.0.0.1');
    expect((await home.ok('service', 'status', '-o', 'json')).json()).toEqual({ site: 'east', services: [] });
  });

  it('needs the router for network status', async () => {
    await home.ok('init', '--site-name', 'west');
    expectError(await home.run('network', 'status'), 5, 'SKIFF_ERR_ROUTER_NOT_RUNNING');
  });
});
