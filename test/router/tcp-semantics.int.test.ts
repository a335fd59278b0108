/**
 * TCP adaptor semantics across two routers: the listener's port follows the reachability of a
 * connector, half-close works from the server side, the counters of tcpListener and tcpConnector
 * say what really passed, via management and via /metrics, and a deleted listener goes at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementClient, rowsOf } from '../support/management-client.js';
import { startRouter, stopAllRouters, waitFor, type RouterProcess } from '../support/router-process.js';
import { echoThrough, freePort, startEchoServer, tryConnect, type EchoServer } from '../support/tcp-peers.js';

let echo: EchoServer;
let a: RouterProcess;
let b: RouterProcess;
let listenerPort = 0;
let mgmtB: ManagementClient;

beforeAll(async () => {
  echo = await startEchoServer();
  listenerPort = await freePort();
  a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
    ['listener', { name: 'http', host: '127.0.0.1', port: 0, role: 'normal', http: true }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
    ['tcpListener', { name: 'svc-in', host: '127.0.0.1', port: listenerPort, address: 'svc' }],
  ]);
  b = await startRouter('B', [
    ['router', { id: 'B', mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
    ['listener', { name: 'http', host: '127.0.0.1', port: 0, role: 'normal', http: true }],
    ['connector', { name: 'to-A', host: '127.0.0.1', port: a.ports.get('inter-router')!, role: 'inter-router' }],
  ]);
  await a.waitForLog(/route to B: via B/, 15_000);
  mgmtB = await ManagementClient.connect(b.ports.get('amqp')!);
});

afterAll(async () => {
  mgmtB.close();
  await stopAllRouters();
  await echo.close();
});

describe('tcp adaptor - semantics', () => {
  it('refuses connections while no connector serves the address, and accepts within 5 s once one does', async () => {
    expect(await tryConnect(listenerPort)).toBe('ECONNREFUSED');
    const created = await mgmtB.create('tcpConnector', 'svc-out', { host: '127.0.0.1', port: String(echo.port), address: 'svc' });
    expect(created.statusCode).toBe(201);
    const started = Date.now();
    await waitFor(async () => (await tryConnect(listenerPort)) === 'connected', 'listener port open', 5000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('half-close from the server side: the server ends its side and still receives everything', async () => {
    // A server that greets, half-closes at once, and reports a digest of what it then receives.
    // (The reachability probe below reaches it too, and sends nothing: only non-empty ones count.)
    const digests: string[] = [];
    const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
      const hash = createHash('sha256');
      let bytes = 0;
      socket.end('greeting');
      socket.on('data', (d: Buffer) => {
        bytes += d.length;
        hash.update(d);
      });
      socket.on('end', () => {
        if (bytes > 0) digests.push(hash.digest('hex'));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    await mgmtB.create('tcpConnector', 'half-out', { host: '127.0.0.1', port: String(port), address: 'half' });
    const aClient = await ManagementClient.connect(a.ports.get('amqp')!);
    const inPort = await freePort();
    await aClient.create('tcpListener', 'half-in', { host: '127.0.0.1', port: String(inPort), address: 'half' });
    aClient.close();
    await waitFor(async () => (await tryConnect(inPort)) === 'connected', 'half-in open', 5000);
    const payload = randomBytes(300_000);
    const client = connect({ port: inPort, host: '127.0.0.1', allowHalfOpen: true });
    let greeting = '';
    client.on('data', (d: Buffer) => (greeting += d.toString()));
    await once(client, 'end'); // the server's FIN arrived first
    client.end(payload); // and the client can still send all of this
    await waitFor(() => digests.length === 1, 'server got the client stream', 10_000);
    expect(greeting).toBe('greeting');
    expect(digests[0]).toBe(createHash('sha256').update(payload).digest('hex'));
    client.destroy();
    server.close();
  });

  it('counts connections and bytes on both sides, via management and /metrics', async () => {
    const before = rowsOf(await mgmtB.query('tcpConnector', ['name', 'connectionsOpened', 'connectionsClosed', 'bytesIn', 'bytesOut'])).find((r) => r.name === 'svc-out')!;
    const sizes = [1000, 50_000, 123_456];
    for (const size of sizes) {
      const r = await echoThrough(listenerPort, size);
      expect(r.received).toBe(r.sent);
    }
    const total = sizes.reduce((x, y) => x + y, 0);
    await waitFor(async () => {
      const row = rowsOf(await mgmtB.query('tcpConnector', ['name', 'connectionsClosed'])).find((r) => r.name === 'svc-out')!;
      return Number(row.connectionsClosed) - Number(before.connectionsClosed) === sizes.length;
    }, 'connector connections closed');
    const after = rowsOf(await mgmtB.query('tcpConnector', ['name', 'connectionsOpened', 'connectionsClosed', 'bytesIn', 'bytesOut'])).find((r) => r.name === 'svc-out')!;
    expect(Number(after.connectionsOpened) - Number(before.connectionsOpened)).toBe(sizes.length);
    expect(Number(after.bytesOut) - Number(before.bytesOut)).toBe(total); // to the server
    expect(Number(after.bytesIn) - Number(before.bytesIn)).toBe(total); // from the server
    const aClient = await ManagementClient.connect(a.ports.get('amqp')!);
    const listener = rowsOf(await aClient.query('tcpListener', ['name', 'connectionsOpened', 'bytesIn', 'bytesOut', 'operStatus'])).find((r) => r.name === 'svc-in')!;
    aClient.close();
    expect(listener.operStatus).toBe('up');
    // The listener also counted the reachability probes above (connect and close, no bytes).
    expect(Number(listener.bytesIn)).toBe(total);
    expect(Number(listener.bytesOut)).toBe(total);
    const metrics = await (await fetch(`http://127.0.0.1:${b.ports.get('http')!}/metrics`)).text();
    const line = metrics.split('\n').find((l) => l.startsWith('skiff_tcp_bytes_out_total') && l.includes('name="svc-out"'));
    expect(Number(line?.split(' ').pop())).toBe(Number(after.bytesOut));
  });

  it('deletes the tcpListener at once while a client holds a connection: the port closes and so does the client', async () => {
    const client = connect({ port: listenerPort, host: '127.0.0.1' });
    await once(client, 'connect');
    client.write('held open');
    const clientClosed = once(client, 'close');
    client.on('error', () => undefined);
    // Read what the echo sends back: unread bytes would hold the client's 'end', and so its 'close'.
    client.resume();
    const aClient = await ManagementClient.connect(a.ports.get('amqp')!);
    const started = Date.now();
    const deleted = await aClient.delete('tcpListener', 'svc-in');
    aClient.close();
    expect(deleted.statusCode).toBe(204);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await tryConnect(listenerPort)).toBe('ECONNREFUSED');
    // dropTcpConnections (true by default) closes the live connection too.
    await clientClosed;
    // The aborted stream ends there: nothing more goes on its link (B would close the connection).
    // B counting the stream's server connection closed shows the abort has crossed the link.
    await waitFor(async () => {
      const row = rowsOf(await mgmtB.query('tcpConnector', ['name', 'connectionsOpened', 'connectionsClosed'])).find((r) => r.name === 'svc-out');
      return row !== undefined && row.connectionsOpened === row.connectionsClosed;
    }, "B's side of the aborted stream closed", 5000);
    expect(b.log()).not.toMatch(/closing connection/);
  });
});
