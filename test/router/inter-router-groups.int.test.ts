/**
 * Inter-router connection groups: streams from the listener side of an inter-router link reach
 * the connector side whether or not the group has data connections, and after its control
 * connection is dialled again (a blip) the group's data connections carry streams again. Both
 * used to hang streams for good: the connector side ignored stream links the listener side
 * attached on the control connection, which is where a neighbor without data connections sends
 * them, and a new control connection of a group got none of the group's open data connections.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ManagementClient } from '../support/management-client.js';
import { startRouter, stopAllRouters, waitFor, type RouterProcess } from '../support/router-process.js';
import { echoThrough, startEchoServer, type EchoServer } from '../support/tcp-peers.js';

const clients: ManagementClient[] = [];
let echo: EchoServer | undefined;

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await stopAllRouters();
  await echo?.close();
  echo = undefined;
});
afterAll(stopAllRouters);

/** A (listener side, with the tcpListener) and B (connector side, with the tcpConnector to an echo server). */
async function pair(connectorRouter: Record<string, unknown>): Promise<{ a: RouterProcess; port: number }> {
  echo = await startEchoServer();
  const a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
    ['tcpListener', { name: 'in', host: '127.0.0.1', port: 0, address: 'echo' }],
  ]);
  await startRouter('B', [
    ['router', { id: 'B', mode: 'interior', ...connectorRouter }],
    ['connector', { name: 'to-A', host: '127.0.0.1', port: a.ports.get('inter-router')!, role: 'inter-router' }],
    ['tcpConnector', { name: 'out', host: '127.0.0.1', port: echo.port, address: 'echo' }],
  ], { waitForListeners: false });
  return { a, port: await listenerPort(a) };
}

/** The port A's tcpListener (of port 0) listens on, as logged after log offset `since`. */
async function listenerPort(a: RouterProcess, since = 0): Promise<number> {
  return Number(/:(\d+) for/.exec(await a.waitForLog(/tcpListener in listening on/, 15_000, since))![1]);
}

async function management(router: RouterProcess): Promise<ManagementClient> {
  const client = await ManagementClient.connect(router.ports.get('amqp')!);
  clients.push(client);
  return client;
}

type Row = Record<string, unknown>;

async function rows(client: ManagementClient, type: string, attributes: string[]): Promise<Row[]> {
  const body = (await client.query(type, attributes)).body as { attributeNames: string[]; results: unknown[][] };
  return body.results.map((r) => Object.fromEntries(body.attributeNames.map((n, i) => [n, r[i]])));
}

async function echoes(port: number, count: number): Promise<void> {
  const results = await Promise.all(Array.from({ length: count }, (_, i) => echoThrough(port, 1000 + i * 4096, 20_000)));
  for (const r of results) expect(r.received).toBe(r.sent);
}

describe('inter-router connection groups', () => {
  it('a connector that dials no data connections: streams from the listener side go over the control connection', async () => {
    const { port } = await pair({ dataConnectionCount: '0' });
    await echoes(port, 8);
  }, 60_000);

  it('the control connection dialled again: the group\'s open data connections carry its streams again', async () => {
    const { a, port } = await pair({});
    await echoes(port, 4);
    const client = await management(a);
    const connections = await rows(client, 'connection', ['identity', 'role', 'dir']);
    const control = connections.find((c) => c['role'] === 'inter-router');
    const data = connections.filter((c) => c['role'] === 'inter-router-data').map((c) => String(c['identity']));
    expect(control).toBeDefined();
    expect(data.length).toBeGreaterThan(0);

    // A closes the control connection only; B dials it again, with the same group correlator. Meanwhile
    // B is unreachable, so A's tcpListener closes its port, and opens a new one (of port 0) after.
    const since = a.log().length;
    const update = await client.request('UPDATE', { type: 'io.skupper.router.connection', identity: String(control!['identity']) }, { adminStatus: 'deleted' });
    expect(update.statusCode).toBe(200);
    await waitFor(async () => {
      const now = await rows(client, 'connection', ['identity', 'role']);
      return now.some((c) => c['role'] === 'inter-router' && c['identity'] !== control!['identity']);
    }, 'a new control connection from B', 20_000);
    await echoes(await listenerPort(a, since), 8);
    // The data connections were not dialled again, and A's streams went out on them.
    const after = await rows(client, 'connection', ['identity', 'role']);
    expect(after.filter((c) => c['role'] === 'inter-router-data').map((c) => String(c['identity'])).sort()).toEqual([...data].sort());
    const streamLinks = (await rows(client, 'router.link', ['connectionId', 'linkDir'])).filter((l) => data.includes(String(l['connectionId'])) && l['linkDir'] === 'out');
    expect(streamLinks.length).toBeGreaterThan(0);
  }, 90_000);
});
