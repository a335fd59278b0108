/**
 * Service sync with an edge site: what the edge exposes reaches the interior over the edge's
 * uplink (multicast goes up an edge's uplink), and what the interior exposes reaches the edge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/router-process.js';
import { echoThrough, startEchoServer, type EchoServer } from '../support/tcp-peers.js';
import { SkiffHome } from './cli-harness.js';
import { linkSites, serviceOn } from './sync-helpers.js';

const PAYLOAD = 256 * 1024;

let home: SkiffHome;
let onLaptop: EchoServer;
let onWest: EchoServer;

beforeAll(async () => {
  home = new SkiffHome();
  [onLaptop, onWest] = await Promise.all([startEchoServer(), startEchoServer()]);
  await home.ok('init', '--site-name', 'west');
  await home.ok('init', '--site-name', 'laptop', '--router-mode', 'edge');
  await linkSites(home, 'laptop', 'west');
});

afterAll(async () => {
  await home.dispose();
  await Promise.all([onLaptop.close(), onWest.close()]);
});

/** The port `site` bound for `address` once sync brought it there, and bytes through it intact. */
async function echoesThrough(site: string, address: string): Promise<void> {
  const service = await waitFor(async () => {
    const known = await serviceOn(home, site, address);
    return known?.port !== null && known;
  }, `${site} to list ${address} with a port`, 20_000);
  const result = await waitFor(() => echoThrough(Number(service.port), PAYLOAD).catch(() => undefined), `bytes through ${site}'s ${address} port`, 20_000);
  expect(result.receivedBytes).toBe(PAYLOAD);
  expect(result.received).toBe(result.sent);
}

describe('service sync - an edge site', () => {
  it('serves on the interior site a host the edge site exposes', async () => {
    await home.ok('expose', 'host', '127.0.0.1', '--port', String(onLaptop.port), '--address', 'from-laptop', '--site', 'laptop');
    await echoesThrough('west', 'from-laptop');
    expect(await serviceOn(home, 'west', 'from-laptop')).toMatchObject({ origin: 'remote', originSiteName: 'laptop' });
  });

  it('serves on the edge site a host the interior site exposes', async () => {
    await home.ok('expose', 'host', '127.0.0.1', '--port', String(onWest.port), '--address', 'from-west', '--site', 'west');
    await echoesThrough('laptop', 'from-west');
    expect(await serviceOn(home, 'laptop', 'from-west')).toMatchObject({ origin: 'remote', originSiteName: 'west' });
  });
});
