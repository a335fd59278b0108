import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, type RouterProcess } from '../support/router-process.js';
import { echoThrough, startEchoServer, type EchoServer } from '../support/tcp-peers.js';

let echo: EchoServer;
let a: RouterProcess;
const ports = { hop1: 0, hop2: 0 };

beforeAll(async () => {
  echo = await startEchoServer();
  a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
    ['tcpListener', { name: 'hop1-in', host: '127.0.0.1', port: 0, address: 'echo/hop1' }],
    ['tcpListener', { name: 'hop2-in', host: '127.0.0.1', port: 0, address: 'echo/hop2' }],
  ]);
  const b = await startRouter('B', [
    ['router', { id: 'B', mode: 'interior' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
    ['connector', { name: 'to-A', host: '127.0.0.1', port: a.ports.get('inter-router')!, role: 'inter-router' }],
    ['tcpConnector', { name: 'hop1-out', host: '127.0.0.1', port: echo.port, address: 'echo/hop1' }],
  ]);
  await startRouter('C', [
    ['router', { id: 'C', mode: 'interior' }],
    ['connector', { name: 'to-B', host: '127.0.0.1', port: b.ports.get('inter-router')!, role: 'inter-router' }],
    ['tcpConnector', { name: 'hop2-out', host: '127.0.0.1', port: echo.port, address: 'echo/hop2' }],
  ], { waitForListeners: false });
  const portOf = (line: string): number => Number(/:(\d+) for/.exec(line)![1]);
  ports.hop1 = portOf(await a.waitForLog(/tcpListener hop1-in listening on/, 15_000));
  ports.hop2 = portOf(await a.waitForLog(/tcpListener hop2-in listening on/, 15_000));
});

afterAll(async () => {
  await stopAllRouters();
  await echo.close();
});

describe('tcp adaptor - across the mesh', () => {
  for (const hops of ['hop1', 'hop2'] as const) {
    for (const size of [100, 1024, 512 * 1024, 2 * 1024 * 1024, 1024 * 1024 * 1024]) {
      it(`${hops}: echoes ${size} bytes intact both ways`, { timeout: 300_000 }, async () => {
        const r = await echoThrough(ports[hops], size, 240_000);
        expect(r.receivedBytes).toBe(size);
        expect(r.received).toBe(r.sent);
      });
    }
  }

  it('200 concurrent connections of random sizes all arrive intact', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => echoThrough(i % 2 === 0 ? ports.hop1 : ports.hop2, randomInt(1, 256 * 1024), 120_000)),
    );
    for (const r of results) expect(r.received).toBe(r.sent);
  }, 180_000);
});
