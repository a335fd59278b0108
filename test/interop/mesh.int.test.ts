/**
 * Mixed meshes of skrouterd and skiff-router: lines skrouterd–skiff–skrouterd and
 * skiff–skrouterd–skiff with a TCP stream end to end; a skiff edge on a skrouterd interior and a
 * skrouterd edge on a skiff interior; anycast and multicast messages across each; and a square
 * with one kind in the corners and the other in the middle, rerouting when the router on the
 * cheaper side is killed. Needs SKROUTERD (see skrouterd.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllClients } from '../support/amqp-clients.js';
import { stopAllRouters } from '../support/router-process.js';
import { startEchoServer, type EchoServer } from '../support/tcp-peers.js';
import {
  expectAnycast,
  expectEcho,
  expectMulticast,
  interRouterConnector,
  interRouterListener,
  startMeshRouter,
  type Kind,
  type MeshRouter,
} from './mixed-mesh.js';
import { SKROUTERD, sayWhySkipped, stopAllSkrouterd } from './skrouterd.js';

sayWhySkipped();

const other = (kind: Kind): Kind => (kind === 'skiff' ? 'skrouterd' : 'skiff');

let echo: EchoServer;

beforeAll(async () => {
  echo = await startEchoServer();
});

afterAll(async () => {
  await echo.close();
});

async function stopAll(): Promise<void> {
  closeAllClients();
  await stopAllRouters();
  await stopAllSkrouterd();
}

for (const [ends, base] of [['skrouterd', 24400], ['skiff', 24420]] as const) {
  const middle = other(ends);
  describe.skipIf(SKROUTERD === undefined)(`interop - a line ${ends} – ${middle} – ${ends}`, () => {
    let a: MeshRouter;
    let b: MeshRouter;
    let c: MeshRouter;
    const port = { a: base + 1, b: base + 2, c: base + 3, ir: base + 4, aIn: base + 10, cIn: base + 11 };

    beforeAll(async () => {
      // The middle router listens; both ends dial it.
      b = await startMeshRouter(middle, 'B', 'interior', port.b, [interRouterListener('B-ir', port.ir)]);
      a = await startMeshRouter(ends, 'A', 'interior', port.a, [
        interRouterConnector('A-to-B', port.ir),
        ['tcpListener', { name: 'A-in', host: '127.0.0.1', port: port.aIn, address: 'line/to-c' }],
        ['tcpConnector', { name: 'A-echo', host: '127.0.0.1', port: echo.port, address: 'line/to-a' }],
      ]);
      c = await startMeshRouter(ends, 'C', 'interior', port.c, [
        interRouterConnector('C-to-B', port.ir),
        ['tcpListener', { name: 'C-in', host: '127.0.0.1', port: port.cIn, address: 'line/to-a' }],
        ['tcpConnector', { name: 'C-echo', host: '127.0.0.1', port: echo.port, address: 'line/to-c' }],
      ]);
    }, 60_000);

    afterAll(stopAll);

    it(`a TCP stream A → C and C → A crosses the ${middle} in the middle intact`, async () => {
      await expectEcho(port.aIn);
      await expectEcho(port.cIn);
    }, 60_000);

    it('anycast A → C, C → A and to the middle router', async () => {
      await expectAnycast(a, c, 'line/any-c');
      await expectAnycast(c, a, 'line/any-a');
      await expectAnycast(a, b, 'line/any-b');
    }, 60_000);

    it('multicast from either end and from the middle reaches every router once', async () => {
      await expectMulticast(a, [a, b, c], 'mc/line-a');
      await expectMulticast(b, [a, c], 'mc/line-b');
    }, 60_000);
  });
}

for (const [edgeKind, base] of [['skiff', 24440], ['skrouterd', 24460]] as const) {
  const interiorKind = other(edgeKind);
  describe.skipIf(SKROUTERD === undefined)(`interop - a ${edgeKind} edge on a ${interiorKind} interior`, () => {
    let i: MeshRouter;
    let e: MeshRouter;
    let j: MeshRouter;
    const port = { i: base + 1, e: base + 2, j: base + 3, edge: base + 4, ir: base + 5, eIn: base + 10, iIn: base + 11, jIn: base + 12 };

    beforeAll(async () => {
      // Interior I (the edge's uplink) links to J, an interior of the edge's own kind.
      i = await startMeshRouter(interiorKind, 'I', 'interior', port.i, [
        ['listener', { name: 'I-edge', host: '127.0.0.1', port: port.edge, role: 'edge' }],
        interRouterListener('I-ir', port.ir),
        ['tcpListener', { name: 'I-in', host: '127.0.0.1', port: port.iIn, address: 'edge/to-e' }],
        ['tcpConnector', { name: 'I-echo', host: '127.0.0.1', port: echo.port, address: 'edge/to-i' }],
      ]);
      j = await startMeshRouter(edgeKind, 'J', 'interior', port.j, [
        interRouterConnector('J-to-I', port.ir),
        ['tcpListener', { name: 'J-in', host: '127.0.0.1', port: port.jIn, address: 'edge/to-e' }],
      ]);
      e = await startMeshRouter(edgeKind, 'E', 'edge', port.e, [
        ['connector', { name: 'E-uplink', host: '127.0.0.1', port: port.edge, role: 'edge' }],
        ['tcpListener', { name: 'E-in', host: '127.0.0.1', port: port.eIn, address: 'edge/to-i' }],
        ['tcpConnector', { name: 'E-echo', host: '127.0.0.1', port: echo.port, address: 'edge/to-e' }],
      ]);
    }, 60_000);

    afterAll(stopAll);

    it('TCP from the edge to its interior, from the interior to the edge, and from the next interior to the edge', async () => {
      await expectEcho(port.eIn);
      await expectEcho(port.iIn);
      await expectEcho(port.jIn);
    }, 90_000);

    it('anycast edge → interior, interior → edge, and next interior → edge', async () => {
      await expectAnycast(e, i, 'edge/any-i');
      await expectAnycast(i, e, 'edge/any-e');
      await expectAnycast(j, e, 'edge/any-e2');
      await expectAnycast(e, j, 'edge/any-j');
    }, 90_000);

    it('multicast from the edge and from the next interior reaches the edge and both interiors once', async () => {
      await expectMulticast(e, [e, i, j], 'mc/edge-e');
      await expectMulticast(j, [e, i, j], 'mc/edge-j');
    }, 90_000);
  });
}

for (const [corners, base] of [['skiff', 24480], ['skrouterd', 24500]] as const) {
  const middles = other(corners);
  describe.skipIf(SKROUTERD === undefined)(`interop - a square of ${corners} corners and ${middles} sides, rerouting`, () => {
    let a: MeshRouter;
    let b: MeshRouter;
    let c: MeshRouter;
    let d: MeshRouter;
    const port = { a: base + 1, b: base + 2, c: base + 3, d: base + 4, aIr: base + 5, cIr: base + 6, aIn: base + 10 };

    beforeAll(async () => {
      // A–B–C costs 2, A–D–C costs 10: traffic from A to C takes B until B dies.
      a = await startMeshRouter(corners, 'A', 'interior', port.a, [
        interRouterListener('A-ir', port.aIr),
        ['tcpListener', { name: 'A-in', host: '127.0.0.1', port: port.aIn, address: 'square/to-c' }],
      ]);
      c = await startMeshRouter(corners, 'C', 'interior', port.c, [
        interRouterListener('C-ir', port.cIr),
        ['tcpConnector', { name: 'C-echo', host: '127.0.0.1', port: echo.port, address: 'square/to-c' }],
      ]);
      b = await startMeshRouter(middles, 'B', 'interior', port.b, [interRouterConnector('B-to-A', port.aIr), interRouterConnector('B-to-C', port.cIr)]);
      d = await startMeshRouter(middles, 'D', 'interior', port.d, [interRouterConnector('D-to-A', port.aIr, 5), interRouterConnector('D-to-C', port.cIr, 5)]);
    }, 60_000);

    afterAll(stopAll);

    it('A reaches C (TCP, anycast, multicast to every router)', async () => {
      await expectEcho(port.aIn);
      await expectAnycast(a, c, 'square/any');
      await expectMulticast(a, [b, c, d], 'mc/square');
    }, 90_000);

    it(`when B (${middles}) is killed, A reaches C through D`, async () => {
      b.kill();
      const started = Date.now();
      await expectAnycast(a, c, 'square/any-after');
      await expectEcho(port.aIn);
      await expectMulticast(a, [c, d], 'mc/square-after');
      expect(Date.now() - started).toBeLessThan(30_000);
    }, 90_000);
  });
}
