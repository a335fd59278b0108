import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/router-process.js';
import { echoThrough, startEchoServer, tryConnect, type EchoServer } from '../support/tcp-peers.js';
import { SkiffHome } from './cli-harness.js';
import { linkSites, queryRows, serviceOn } from './sync-helpers.js';

const PAYLOAD = 1024 * 1024;

let home: SkiffHome;
let echo: EchoServer;

beforeAll(async () => {
  home = new SkiffHome();
  echo = await startEchoServer();
  await home.ok('init', '--site-name', 'west');
  await home.ok('init', '--site-name', 'east');
  await linkSites(home, 'east', 'west');
});

afterAll(async () => {
  await home.dispose();
  await echo.close();
});

describe('service sync - a host exposed on east is served on west without service create', () => {
  it('binds a listener on west for the service east exposes, and carries bytes intact', async () => {
    await home.ok('expose', 'host', '127.0.0.1', '--port', String(echo.port), '--address', 'echo', '--site', 'east');
    const synced = await waitFor(async () => {
      const service = await serviceOn(home, 'west', 'echo');
      return service?.port !== null && service;
    }, 'west to list echo with a port', 20_000);
    expect(synced).toMatchObject({ address: 'echo', protocol: 'tcp', origin: 'remote', originSiteName: 'east', targets: [] });
    expect(await serviceOn(home, 'east', 'echo')).toMatchObject({ origin: 'local', targets: [{ host: '127.0.0.1', port: echo.port }] });

    const westPort = Number(synced.port);
    await waitFor(async () => (await tryConnect(westPort)) === 'connected', "west's echo port to accept", 20_000);
    const result = await echoThrough(westPort, PAYLOAD);
    expect(result.receivedBytes).toBe(PAYLOAD);
    expect(result.received).toBe(result.sent);

    const listener = (await queryRows(home, 'west', 'tcpListener')).find((r) => r.address === 'echo');
    expect(listener).toMatchObject({ address: 'echo', port: String(westPort) });
    expect(Number(listener?.connectionsOpened)).toBeGreaterThanOrEqual(1);
    expect(Number(listener?.bytesIn)).toBeGreaterThanOrEqual(PAYLOAD);
    const connector = (await queryRows(home, 'east', 'tcpConnector')).find((r) => r.address === 'echo');
    expect(Number(connector?.connectionsOpened)).toBeGreaterThanOrEqual(1);
    expect(Number(connector?.bytesOut)).toBeGreaterThanOrEqual(PAYLOAD);
  });

  it('shows synced and local services in service status text', async () => {
    const west = await home.ok('service', 'status', '--site', 'west');
    expect(west.out[0]).toBe('Services exposed through Skiff:');
    expect(west.out.join('\n')).toMatch(/╰─ echo:\d+ \(tcp\)\n {3}├─ origin: site east\n {3}╰─ targets: none on this site/);
    expect((await home.ok('status', '--site', 'west')).out[0]).toMatch(/It has 0 exposed hosts, 0 service listeners and 1 service synced from other sites\.$/);
  });

  it('keeps the synced service on the same port across a restart of west', async () => {
    const before = (await serviceOn(home, 'west', 'echo'))?.port;
    await home.ok('stop', '--site', 'west');
    await home.ok('start', '--site', 'west');
    const config = JSON.parse(readFileSync(home.siteFile('west', 'router', 'skrouterd.json'), 'utf8')) as Array<[string, Record<string, unknown>]>;
    expect(config).toContainEqual(['tcpListener', { name: `echo:${before}`, host: '127.0.0.1', port: String(before), address: 'echo' }]);
    await home.ok('link', 'status', '--site', 'east', '--wait', '60');
    expect((await serviceOn(home, 'west', 'echo'))?.port).toBe(before);
    const result = await waitFor(() => echoThrough(Number(before), 64 * 1024).catch(() => undefined), 'bytes through west after its restart', 30_000);
    expect(result.received).toBe(result.sent);
  });

  it('binds a target on west to the synced service live, and unbinds it', async () => {
    const connectors = async (): Promise<unknown[]> => (await queryRows(home, 'west', 'tcpConnector')).map((r) => r.name);
    await home.ok('service', 'bind', 'echo', 'host', '127.0.0.1', '--port', String(echo.port), '--site', 'west');
    expect(await serviceOn(home, 'west', 'echo')).toMatchObject({ origin: 'remote', targets: [{ host: '127.0.0.1', port: echo.port }] });
    expect(await connectors()).toEqual([`echo@127.0.0.1:${echo.port}`]);
    await home.ok('service', 'unbind', 'echo', 'host', '127.0.0.1', '--site', 'west');
    expect(await connectors()).toEqual([]);
    expect(await serviceOn(home, 'west', 'echo')).toMatchObject({ origin: 'remote', targets: [] });
  });

  it('withdraws the service from west within 10 s of unexpose on east', async () => {
    const westPort = Number((await serviceOn(home, 'west', 'echo'))?.port);
    const started = Date.now();
    await home.ok('unexpose', 'host', '127.0.0.1', '--site', 'east');
    await waitFor(async () => (await tryConnect(westPort)) === 'ECONNREFUSED', "west's port to refuse", 10_000);
    const refusedMs = Date.now() - started;
    await waitFor(async () => (await serviceOn(home, 'west', 'echo')) === undefined, 'west to drop the definition', 10_000);
    const droppedMs = Date.now() - started;
    expect((await queryRows(home, 'west', 'tcpListener')).map((r) => r.address)).not.toContain('echo');
    console.log(`unexpose on east: west's port refused after ${refusedMs} ms, definition gone after ${droppedMs} ms`);
    expect((await home.ok('service', 'status', '--site', 'west')).out).toEqual(['No services defined']);
  });
});
