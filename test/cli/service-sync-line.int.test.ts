import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/router-process.js';
import { echoThrough, startEchoServer, type EchoServer } from '../support/tcp-peers.js';
import type { NetworkSite } from '../../cli/src/sync/network-sites.js';
import { SkiffHome } from './cli-harness.js';
import { linkSites, serviceOn } from './sync-helpers.js';

let home: SkiffHome;
let echo: EchoServer;

// a ← b ← c: b links to a, c links to b; a and c are two hops apart.
beforeAll(async () => {
  home = new SkiffHome();
  echo = await startEchoServer();
  for (const site of ['a', 'b', 'c']) await home.ok('init', '--site-name', site);
  await linkSites(home, 'b', 'a');
  await linkSites(home, 'c', 'b');
});

afterAll(async () => {
  await home.dispose();
  await echo.close();
});

describe('service sync - three sites in a line', () => {
  it('serves on a a host exposed on c, with bytes intact', async () => {
    await home.ok('expose', 'host', '127.0.0.1', '--port', String(echo.port), '--address', 'echo', '--site', 'c');
    const service = await waitFor(async () => {
      const s = await serviceOn(home, 'a', 'echo');
      return s?.port !== null && s;
    }, 'a to bind echo', 30_000);
    expect(service).toMatchObject({ origin: 'remote', originSiteName: 'c' });
    const result = await waitFor(() => echoThrough(Number(service.port), 512 * 1024).catch(() => undefined), 'bytes through a', 30_000);
    expect(result.receivedBytes).toBe(512 * 1024);
    expect(result.received).toBe(result.sent);
  });

  it('lists all three sites, their links and the service in network status on a', async () => {
    const sites = await waitFor(async () => {
      const json = (await home.ok('network', 'status', '--site', 'a', '-o', 'json')).json() as { sites: NetworkSite[] };
      return json.sites.length === 3 && json.sites;
    }, 'a to hear b and c', 30_000);
    const byName = new Map(sites.map((s) => [s.name, s]));
    expect(sites.map((s) => [s.name, s.local])).toEqual([['a', true], ['b', false], ['c', false]]);
    expect(byName.get('a')?.links).toEqual([{ name: 'link1', direction: 'incoming', remoteSiteId: byName.get('b')?.id, remoteSiteName: 'b', connected: true }]);
    expect(byName.get('b')?.links.map((l) => [l.direction, l.remoteSiteName])).toEqual([['outgoing', 'a'], ['incoming', 'c']]);
    expect(byName.get('c')?.links.map((l) => [l.direction, l.remoteSiteName, l.connected])).toEqual([['outgoing', 'b', true]]);
    expect(byName.get('c')?.services).toEqual([{ address: 'echo', protocol: 'tcp', ports: [expect.any(Number)] }]);
    expect(byName.get('a')?.mode).toBe('interior');

    const text = (await home.ok('network', 'status', '--site', 'a')).out;
    expect(text[0]).toBe('Sites:');
    expect(text.join('\n')).toMatch(/├─ \[local\] a \(/);
    expect(text.join('\n')).toMatch(/╰─ \[remote\] c \([^)]*\)\n {3}├─ router: c-\w+ \(interior\)/);
    expect(text.join('\n')).toMatch(/ {6}╰─ echo:\d+ \(tcp\)/);
  });
});
