/**
 * TCP both ways between skupper-router (skrouterd) and skiff-router, linked each way (each
 * dialling the other): skrouterd's tcpListener to skiff's tcpConnector and skiff's tcpListener to
 * skrouterd's tcpConnector, 100 B to 64 MiB, 200 at once, half-close from the server, a refused
 * backend (the client's connection closed at once, as skrouterd does) and a slow reader, every
 * byte checked by sha256. Needs SKROUTERD (see skrouterd.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, waitFor } from '../support/router-process.js';
import { echoThrough, freePort, sha256, startEchoServer, tryConnect, type EchoServer } from '../support/tcp-peers.js';
import { SKROUTERD, sayWhySkipped, startSkrouterd, stopAllSkrouterd, waitForTcpListeners } from './skrouterd.js';

sayWhySkipped();

const MiB = 1024 * 1024;

/** A server that greets, half-closes at once, and keeps the digest of what it then receives. */
async function greetingServer(): Promise<{ server: Server; port: number; digests: string[] }> {
  const digests: string[] = [];
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const hash = createHash('sha256');
    let bytes = 0;
    socket.on('error', () => undefined);
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
  return { server, port: (server.address() as { port: number }).port, digests };
}

/** Sends `payload` after reading the greeting, and resolves with what came back. */
async function afterGreeting(port: number, payload: Buffer): Promise<string> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString()));
  await once(socket, 'end');
  socket.end(payload);
  await once(socket, 'close');
  return text;
}

/** Sends `size` bytes, reads nothing for `pauseMs`, then reads the echo; resolves with its digest. */
async function slowReader(port: number, size: number, pauseMs: number): Promise<{ sent: string; received: string }> {
  const payload = randomBytes(size);
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await once(socket, 'connect');
  socket.pause();
  socket.end(payload);
  await new Promise((r) => setTimeout(r, pauseMs));
  const hash = createHash('sha256');
  socket.on('data', (d: Buffer) => hash.update(d));
  socket.resume();
  await once(socket, 'close');
  return { sent: sha256(payload), received: hash.digest('hex') };
}

/** Resolves once a client's connection ends; `bytes` is what it received. */
async function refused(port: number): Promise<{ bytes: number }> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let bytes = 0;
  socket.on('data', (d: Buffer) => (bytes += d.length));
  socket.on('error', () => undefined);
  socket.end('anyone there?');
  await once(socket, 'close');
  return { bytes };
}

for (const dialler of ['skiff', 'skrouterd'] as const) {
  describe.skipIf(SKROUTERD === undefined)(`interop - TCP both ways, ${dialler} dials`, () => {
    let echo: EchoServer;
    let greeting: Awaited<ReturnType<typeof greetingServer>>;
    const base = dialler === 'skiff' ? 24000 : 24100;
    const port = {
      irSkr: base + 1, normalSkr: base + 2, irSkiff: base + 3,
      skrIn: base + 10, skiffIn: base + 11, skrHalfIn: base + 12, skiffHalfIn: base + 13, skrDeadIn: base + 14, skiffDeadIn: base + 15,
    };

    beforeAll(async () => {
      echo = await startEchoServer();
      greeting = await greetingServer();
      const dead = await freePort();
      await startSkrouterd('SKR', [
        ['router', { id: 'SKR', mode: 'interior', workerThreads: 2 }],
        ['listener', { host: '127.0.0.1', port: port.normalSkr, role: 'normal' }],
        dialler === 'skiff'
          ? ['listener', { host: '127.0.0.1', port: port.irSkr, role: 'inter-router' }]
          : ['connector', { host: '127.0.0.1', port: port.irSkiff, role: 'inter-router' }],
        ['tcpListener', { name: 'to-skiff', host: '127.0.0.1', port: port.skrIn, address: 'i/to-skiff' }],
        ['tcpListener', { name: 'half-to-skiff', host: '127.0.0.1', port: port.skrHalfIn, address: 'i/half-to-skiff' }],
        ['tcpListener', { name: 'dead-to-skiff', host: '127.0.0.1', port: port.skrDeadIn, address: 'i/dead-to-skiff' }],
        ['tcpConnector', { name: 'echo', host: '127.0.0.1', port: echo.port, address: 'i/to-skr' }],
        ['tcpConnector', { name: 'half', host: '127.0.0.1', port: greeting.port, address: 'i/half-to-skr' }],
        ['tcpConnector', { name: 'dead', host: '127.0.0.1', port: dead, address: 'i/dead-to-skr' }],
      ], port.normalSkr);
      await startRouter('SKIFF', [
        ['router', { id: 'SKIFF', mode: 'interior' }],
        ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
        dialler === 'skiff'
          ? ['connector', { name: 'link-to-skr', host: '127.0.0.1', port: port.irSkr, role: 'inter-router' }]
          : ['listener', { name: 'inter-router', host: '127.0.0.1', port: port.irSkiff, role: 'inter-router' }],
        ['tcpListener', { name: 'to-skr', host: '127.0.0.1', port: port.skiffIn, address: 'i/to-skr' }],
        ['tcpListener', { name: 'half-to-skr', host: '127.0.0.1', port: port.skiffHalfIn, address: 'i/half-to-skr' }],
        ['tcpListener', { name: 'dead-to-skr', host: '127.0.0.1', port: port.skiffDeadIn, address: 'i/dead-to-skr' }],
        ['tcpConnector', { name: 'echo', host: '127.0.0.1', port: echo.port, address: 'i/to-skiff' }],
        ['tcpConnector', { name: 'half', host: '127.0.0.1', port: greeting.port, address: 'i/half-to-skiff' }],
        ['tcpConnector', { name: 'dead', host: '127.0.0.1', port: dead, address: 'i/dead-to-skiff' }],
      ]);
      await waitForTcpListeners([port.skrIn, port.skiffIn, port.skrHalfIn, port.skiffHalfIn]);
    }, 60_000);

    afterAll(async () => {
      await stopAllRouters();
      await stopAllSkrouterd();
      await echo.close();
      await new Promise<void>((r) => greeting.server.close(() => r()));
    });

    for (const [way, listener] of [['skrouterd listener → skiff connector', 'skrIn'], ['skiff listener → skrouterd connector', 'skiffIn']] as const) {
      for (const size of [100, 64 * 1024, 4 * MiB, 64 * MiB]) {
        it(`${way}: ${size} bytes echo intact`, async () => {
          const r = await echoThrough(port[listener], size, 120_000);
          expect(r.receivedBytes).toBe(size);
          expect(r.received).toBe(r.sent);
        }, 150_000);
      }

      it(`${way}: 200 concurrent 64 KiB echoes all intact`, async () => {
        const results = await Promise.all(Array.from({ length: 200 }, () => echoThrough(port[listener], 64 * 1024, 60_000)));
        expect(results.filter((r) => r.received !== r.sent || r.receivedBytes !== 64 * 1024)).toEqual([]);
      }, 90_000);

      it(`${way}: a slow reader (nothing read for 2 s) gets its 8 MiB intact`, async () => {
        const r = await slowReader(port[listener], 8 * MiB, 2000);
        expect(r.received).toBe(r.sent);
      }, 60_000);
    }

    for (const [way, listener] of [['skrouterd listener → skiff connector', 'skrHalfIn'], ['skiff listener → skrouterd connector', 'skiffHalfIn']] as const) {
      it(`${way}: the server half-closes first and still receives everything`, async () => {
        const payload = randomBytes(256 * 1024);
        const before = greeting.digests.length;
        expect(await afterGreeting(port[listener], payload)).toBe('greeting');
        await waitFor(() => greeting.digests.length > before, 'the server saw the client end');
        expect(greeting.digests).toContain(sha256(payload));
      });
    }

    // skrouterd's connector side answers a refused backend with an unsettled MODIFIED; its own
    // listener side closes the client at once, and so must skiff's.
    for (const [way, listener] of [['skrouterd listener → skiff connector', 'skrDeadIn'], ['skiff listener → skrouterd connector', 'skiffDeadIn']] as const) {
      it(`${way}: a refused backend closes the client's connection promptly with no data`, async () => {
        await waitFor(async () => (await tryConnect(port[listener])) === 'connected', 'listener open', 20_000);
        const t0 = Date.now();
        expect(await refused(port[listener])).toEqual({ bytes: 0 });
        expect(Date.now() - t0).toBeLessThan(1000);
      });
    }
  });
}
