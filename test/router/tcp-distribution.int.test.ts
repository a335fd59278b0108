/**
 * Streams spread over connectors on two routers B and C, both linked to A (the listener's
 * router): balanced by open connections with equal costs; closest sends all to the cheaper one;
 * when a connector's router dies, its clients are closed (no hang) and new ones go elsewhere.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, waitFor, type RouterProcess } from '../support/router-process.js';
import { echoThrough, startEchoServer, type EchoServer } from '../support/tcp-peers.js';

const servers: EchoServer[] = [];
const clients: Socket[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await stopAllRouters();
  for (const s of servers.splice(0)) await s.close();
});

async function topology(distribution: 'balanced' | 'closest', costs: [number, number]): Promise<{ a: RouterProcess; c: RouterProcess; port: number; onB: EchoServer; onC: EchoServer }> {
  const onB = await startEchoServer();
  const onC = await startEchoServer();
  servers.push(onB, onC);
  const a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
    ['address', { prefix: 'svc', distribution }],
    ['tcpListener', { name: 'svc-in', host: '127.0.0.1', port: 0, address: 'svc' }],
  ]);
  const remote = (id: string, cost: number, backend: EchoServer): Promise<RouterProcess> =>
    startRouter(id, [
      ['router', { id, mode: 'interior' }],
      ['connector', { name: 'to-A', host: '127.0.0.1', port: a.ports.get('inter-router')!, role: 'inter-router', cost }],
      ['address', { prefix: 'svc', distribution }],
      ['tcpConnector', { name: 'svc-out', host: '127.0.0.1', port: backend.port, address: 'svc' }],
    ], { waitForListeners: false });
  await remote('B', costs[0], onB);
  const c = await remote('C', costs[1], onC);
  // Both routes and both addresses known (an address can arrive before the route to its router).
  await a.waitForLog(/route to B: via B/, 15_000);
  await a.waitForLog(/route to C: via C/, 15_000);
  await a.waitForLog(/address svc now has consumers on B/, 15_000);
  await a.waitForLog(/address svc now has consumers on C/, 15_000);
  const port = Number(/:(\d+) for/.exec(await a.waitForLog(/tcpListener svc-in listening on/))![1]);
  return { a, c, port, onB, onC };
}

/** Opens `n` connections and waits until each has its 1-byte echo: all are open at once. */
async function holdOpen(port: number, n: number): Promise<Socket[]> {
  const opened = await Promise.all(
    Array.from({ length: n }, async () => {
      const socket = connect(port, '127.0.0.1');
      clients.push(socket);
      socket.on('error', () => undefined);
      await once(socket, 'connect');
      socket.write('x');
      await once(socket, 'data');
      return socket;
    }),
  );
  return opened;
}

describe('tcp adaptor - distribution across connectors', () => {
  it('balanced: 100 open connections over two equal-cost connectors put 35–65 % on each', async () => {
    const { port, onB, onC } = await topology('balanced', [1, 1]);
    await holdOpen(port, 100);
    expect(onB.connections + onC.connections).toBe(100);
    expect(onB.connections).toBeGreaterThanOrEqual(35);
    expect(onB.connections).toBeLessThanOrEqual(65);
  });

  it('closest: with costs 1 and 10, all 100 go to the cost-1 connector', async () => {
    const { port, onB, onC } = await topology('closest', [1, 10]);
    await holdOpen(port, 100);
    expect(onB.connections).toBe(100);
    expect(onC.connections).toBe(0);
  });

  it("killing a connector's router closes its clients, and new connections reach the other", async () => {
    const { c, port, onC } = await topology('balanced', [1, 1]);
    const sockets = await holdOpen(port, 20);
    const onCBefore = onC.connections;
    expect(onCBefore).toBeGreaterThan(0);
    let closed = 0;
    for (const socket of sockets) socket.on('close', () => closed++);
    c.kill('SIGKILL');
    // Exactly C's clients close (no hang); B's stay open.
    await waitFor(() => closed >= onCBefore, "C's clients closed", 10_000);
    // B's clients are still served: each gets an echo through the mesh after C's had closed.
    const open = sockets.filter((s) => !s.destroyed);
    await Promise.all(open.map(async (s) => {
      const echoed = once(s, 'data');
      s.write('y');
      await echoed;
    }));
    expect(open.length).toBe(sockets.length - onCBefore);
    expect(closed).toBe(onCBefore);
    const before = onC.connections;
    for (let i = 0; i < 5; i++) {
      const r = await echoThrough(port, 10_000);
      expect(r.received).toBe(r.sent);
    }
    expect(onC.connections).toBe(before);
  });
});
