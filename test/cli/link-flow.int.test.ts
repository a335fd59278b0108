import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../cli/src/site/free-ports.js';
import { waitFor } from '../support/router-process.js';
import { tryConnect } from '../support/tcp-peers.js';
import { SkiffHome } from './cli-harness.js';

let home: SkiffHome;
let eastRouter = '';
let token = '';

beforeAll(async () => {
  home = new SkiffHome();
  await home.ok('init', '--site-name', 'west');
  eastRouter = String((await home.ok('init', '--site-name', 'east', '-o', 'json')).json().routerId);
  token = join(home.dir, 'west.token');
  await home.ok('token', 'create', token, '--site', 'west', '--token-type', 'cert');
});

afterAll(() => home.dispose());

const incomingOf = async (site: string): Promise<unknown> => (await home.ok('status', '--site', site, '-o', 'json')).json().incomingLinks;

describe('token and link flow - two local sites with real routers', () => {
  it('links east to west with a cert token; link status reports the link up', async () => {
    const created = await home.ok('link', 'create', token, '--site', 'east');
    expect(created.out[0]).toMatch(/^Site configured to link to 127\.0\.0\.1:\d+ \(name=link1\)$/);
    const status = await home.ok('link', 'status', '--site', 'east', '--wait', '30', '-o', 'json');
    expect(status.json()).toMatchObject({ site: 'east', links: [{ name: 'link1', connected: true }] });
    await waitFor(async () => JSON.stringify(await incomingOf('west')) === JSON.stringify([eastRouter]), 'west to see east linked');
    const text = await home.ok('link', 'status', 'link1', '--site', 'east');
    expect(text.out).toEqual(['Link link1 is connected']);
  });

  it('keeps the link across stop and start of the linking site', async () => {
    await home.ok('stop', '--site', 'east');
    await waitFor(async () => JSON.stringify(await incomingOf('west')) === '[]', 'west to see east gone');
    await home.ok('start', '--site', 'east');
    const status = await home.ok('link', 'status', '--site', 'east', '--wait', '30', '-o', 'json');
    expect(status.json()).toMatchObject({ links: [{ name: 'link1', connected: true }] });
  });

  it('carries TCP: a host exposed on west is reached through a service listener on east', async () => {
    const server = createServer((_q, s) => s.end('hi from west'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const port = (server.address() as { port: number }).port;
      await home.ok('expose', 'host', '127.0.0.1', '--port', String(port), '--address', 'hi', '--site', 'west');
      const eastPort = await freePort();
      expect((await home.ok('service', 'create', 'hi', String(eastPort), '--site', 'east', '-o', 'json')).json()).toMatchObject({ applied: true });
      const body = await waitFor(async () => {
        try {
          return await (await fetch(`http://127.0.0.1:${eastPort}/`)).text();
        } catch {
          return undefined;
        }
      }, 'the service through east', 20_000);
      expect(body).toBe('hi from west');
      expect((await home.ok('service', 'delete', 'hi', '--site', 'east', '-o', 'json')).json()).toMatchObject({ deleted: true, applied: true });
      // A fresh connection each try: fetch would reuse its kept-alive one, which the router keeps open.
      await waitFor(async () => (await tryConnect(eastPort)) === 'ECONNREFUSED', 'east to close the service port');
      expect((await home.ok('unexpose', 'host', '127.0.0.1', '--site', 'west', '-o', 'json')).json()).toMatchObject({ addresses: ['hi'], applied: true });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('deletes the link: east has no links and west no incoming ones', async () => {
    expect((await home.ok('link', 'delete', 'link1', '--site', 'east')).out).toEqual(["Link 'link1' has been removed"]);
    expect((await home.ok('link', 'status', '--site', 'east', '-o', 'json')).json()).toMatchObject({ links: [] });
    await waitFor(async () => JSON.stringify(await incomingOf('west')) === '[]', 'west to see the link gone');
  });

  it('links an edge site to the interior through the edge listener, redeeming a claim token', async () => {
    const claim = join(home.dir, 'west.claim');
    await home.ok('token', 'create', claim, '--site', 'west', '--uses', '1');
    const laptop = String((await home.ok('init', '--site-name', 'laptop', '--router-mode', 'edge', '-o', 'json')).json().routerId);
    const created = (await home.ok('link', 'create', claim, '--site', 'laptop', '-o', 'json')).json();
    expect(created).toMatchObject({ role: 'edge', applied: true });
    const status = await home.ok('link', 'status', '--site', 'laptop', '--wait', '30', '-o', 'json');
    expect(status.json()).toMatchObject({ links: [{ name: 'link1', connected: true }] });
    await waitFor(async () => JSON.stringify(await incomingOf('west')) === JSON.stringify([laptop]), 'west to see the edge');
  });
});
