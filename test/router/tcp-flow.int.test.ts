/**
 * Backpressure end to end (A with the tcpListener, B with the tcpConnector): a client that reads
 * nothing stops the server within the windows of the path, then gets every byte; and a stalled
 * stream does not slow another stream on the same routers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UNACKED } from '../../router/src/adaptors/tcp/window.js';
import { startRouter, stopAllRouters, waitFor, type RouterProcess } from '../support/router-process.js';
import { echoThrough, startEchoServer, type EchoServer } from '../support/tcp-peers.js';

const GIB = 1024 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** Kernel maximum of a socket's send and receive buffers (third value of tcp_wmem / tcp_rmem). */
function socketBufferMax(): number {
  const max = (file: string): number => Number(readFileSync(file, 'utf8').trim().split(/\s+/)[2]);
  return max('/proc/sys/net/ipv4/tcp_wmem') + max('/proc/sys/net/ipv4/tcp_rmem');
}

/**
 * A server that pushes `total` random bytes to each client as fast as the socket takes them,
 * hashing what it sent; `written` is how many bytes the socket has accepted so far.
 */
class PushServer {
  readonly server: Server;
  written = 0;
  digest = '';
  port = 0;

  constructor(private readonly total: number) {
    // A client that goes away mid-push (the stalled one) ends its push early: expected.
    this.server = createServer({ allowHalfOpen: true }, (socket) => void this.push(socket).catch(() => undefined));
  }

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as { port: number }).port;
  }

  private async push(socket: Socket): Promise<void> {
    socket.on('error', () => undefined);
    const hash = createHash('sha256');
    for (let sent = 0; sent < this.total; sent += CHUNK) {
      const chunk = randomBytes(Math.min(CHUNK, this.total - sent));
      hash.update(chunk);
      const more = socket.write(chunk, () => (this.written += chunk.length));
      if (!more) await once(socket, 'drain');
    }
    this.digest = hash.digest('hex');
    socket.end();
  }
}

let a: RouterProcess;
let push: PushServer;
let echo: EchoServer;
const ports = { push: 0, echo: 0 };

beforeAll(async () => {
  push = new PushServer(GIB);
  await push.start();
  echo = await startEchoServer();
  a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
    ['tcpListener', { name: 'push-in', host: '127.0.0.1', port: 0, address: 'push' }],
    ['tcpListener', { name: 'echo-in', host: '127.0.0.1', port: 0, address: 'echo' }],
  ]);
  await startRouter('B', [
    ['router', { id: 'B', mode: 'interior' }],
    ['connector', { name: 'to-A', host: '127.0.0.1', port: a.ports.get('inter-router')!, role: 'inter-router' }],
    ['tcpConnector', { name: 'push-out', host: '127.0.0.1', port: push.port, address: 'push' }],
    ['tcpConnector', { name: 'echo-out', host: '127.0.0.1', port: echo.port, address: 'echo' }],
  ], { waitForListeners: false });
  const portOf = (line: string): number => Number(/:(\d+) for/.exec(line)![1]);
  ports.push = portOf(await a.waitForLog(/tcpListener push-in listening on/, 15_000));
  ports.echo = portOf(await a.waitForLog(/tcpListener echo-in listening on/, 15_000));
});

afterAll(async () => {
  await stopAllRouters();
  push.server.close();
  await echo.close();
});

/** Resolves once the push server has written nothing more for 2 s: the path's windows are full. */
async function stalled(timeoutMs: number): Promise<void> {
  let last = -1;
  let since = Date.now();
  await waitFor(() => {
    if (push.written !== last) {
      last = push.written;
      since = Date.now();
    }
    return last > 0 && Date.now() - since >= 2000;
  }, 'the push server to stall', timeoutMs);
}

describe('tcp adaptor - backpressure', () => {
  it('a client that reads nothing for 10 s holds the server to the windows of the path, then gets all 1 GiB intact', { timeout: 300_000 }, async () => {
    const client = connect(ports.push, '127.0.0.1');
    client.on('error', () => undefined);
    client.pause();
    await once(client, 'connect');
    // The server's writes stop: every window on the path is full (unchanged for 2 s, within 60 s).
    await stalled(60_000);
    // What may sit on the path: the stream window (1 MiB, every hop's unacknowledged bytes) plus
    // the kernel buffers of the two TCP connections outside it (server→B and A→client), each a
    // send buffer and a receive buffer at their maximum.
    const bound = MAX_UNACKED + 2 * socketBufferMax();
    const stalledAt = push.written;
    expect(stalledAt).toBeGreaterThan(0);
    expect(stalledAt).toBeLessThan(bound);
    const hash = createHash('sha256');
    let received = 0;
    client.on('data', (d: Buffer) => {
      hash.update(d);
      received += d.length;
    });
    client.resume();
    await once(client, 'end');
    client.destroy();
    expect(received).toBe(GIB);
    expect(hash.digest('hex')).toBe(push.digest);
    console.log(`slow reader: server wrote ${stalledAt} bytes while the client read nothing (bound ${bound})`);
  });

  it('a stream whose client reads nothing does not slow another stream', { timeout: 300_000 }, async () => {
    const size = 64 * 1024 * 1024;
    const alone = Date.now();
    expect((await echoThrough(ports.echo, size)).receivedBytes).toBe(size);
    const aloneMs = Date.now() - alone;
    const stalledClient = connect(ports.push, '127.0.0.1');
    stalledClient.on('error', () => undefined);
    stalledClient.pause();
    await once(stalledClient, 'connect');
    await stalled(30_000); // the stalled stream has filled its windows
    const shared = Date.now();
    const r = await echoThrough(ports.echo, size);
    const sharedMs = Date.now() - shared;
    stalledClient.destroy();
    expect(r.received).toBe(r.sent);
    console.log(`second stream: ${aloneMs} ms alone, ${sharedMs} ms next to a stalled one`);
    // At least half the throughput it has alone.
    expect(sharedMs).toBeLessThanOrEqual(2 * aloneMs);
  });
});

