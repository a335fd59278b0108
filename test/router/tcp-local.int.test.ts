import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, type RouterProcess } from '../support/router-process.js';
import { echoThrough, freePort, startEchoServer, type EchoServer } from '../support/tcp-peers.js';

let echo: EchoServer;
let router: RouterProcess;
let port = 0;
let refusedPort = 0;

beforeAll(async () => {
  echo = await startEchoServer();
  const deadPort = await freePort();
  router = await startRouter('solo', [
    ['router', { id: 'solo', mode: 'interior' }],
    ['tcpConnector', { name: 'echo-out', host: '127.0.0.1', port: echo.port, address: 'echo' }],
    ['tcpListener', { name: 'echo-in', host: '127.0.0.1', port: 0, address: 'echo' }],
    ['tcpConnector', { name: 'dead-out', host: '127.0.0.1', port: deadPort, address: 'dead' }],
    ['tcpListener', { name: 'dead-in', host: '127.0.0.1', port: 0, address: 'dead' }],
  ], { waitForListeners: false });
  const portOf = (line: string): number => Number(/:(\d+) for/.exec(line)![1]);
  port = portOf(await router.waitForLog(/tcpListener echo-in listening on/));
  refusedPort = portOf(await router.waitForLog(/tcpListener dead-in listening on/));
});

afterAll(async () => {
  await stopAllRouters();
  await echo.close();
});

describe('tcp adaptor - one router, listener and connector together', () => {
  for (const size of [100, 1024, 512 * 1024, 2 * 1024 * 1024]) {
    it(`echoes ${size} bytes intact`, async () => {
      const r = await echoThrough(port, size);
      expect(r.receivedBytes).toBe(size);
      expect(r.received).toBe(r.sent);
    });
  }

  it('closes the client within a second when the backend refuses', async () => {
    const started = Date.now();
    const socket = connect(refusedPort, '127.0.0.1');
    let received = 0;
    socket.on('data', (d: Buffer) => (received += d.length));
    const closed = new Promise<string>((resolve) => {
      socket.on('error', (err) => resolve(`error ${err.message}`));
      socket.on('end', () => resolve('fin'));
    });
    socket.write('anyone there?');
    expect(await closed).toBe('fin');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(received).toBe(0);
  });
});
