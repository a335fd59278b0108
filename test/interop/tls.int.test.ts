/**
 * The inter-router link between skrouterd and skiff-router over mutual TLS (SASL EXTERNAL, peer
 * certificates required), each dialling the other: the link comes up, TCP streams cross it both
 * ways intact, and a router whose certificate comes from another CA is refused by either
 * listener. Needs SKROUTERD (see skrouterd.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, type ConfigEntity, type RouterProcess } from '../support/router-process.js';
import { once } from 'node:events';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { echoThrough, startEchoServer, type EchoServer } from '../support/tcp-peers.js';
import { PEER_NAME_CASES, PEER_NAME_HOSTS, issuePeerNameCert } from '../support/peer-name-certs.js';
import { TestPki } from '../support/tls-files.js';
import { SKROUTERD, sayWhySkipped, startSkrouterd, stopAllSkrouterd, waitForTcpListeners, type Skrouterd } from './skrouterd.js';

sayWhySkipped();

const MiB = 1024 * 1024;

for (const dialler of ['skiff', 'skrouterd'] as const) {
  describe.skipIf(SKROUTERD === undefined)(`interop - mutual TLS inter-router link, ${dialler} dials`, () => {
    const pki = new TestPki(`interop-ca-${dialler}`);
    const other = new TestPki(`other-ca-${dialler}`);
    const base = dialler === 'skiff' ? 24300 : 24330;
    const port = { irSkr: base + 1, normalSkr: base + 2, irSkiff: base + 3, skrIn: base + 10, skiffIn: base + 11 };
    let echo: EchoServer;
    let skiff: RouterProcess;
    let skr: Skrouterd;
    const linkTls = (files: ReturnType<TestPki['issue']>): ConfigEntity => ['sslProfile', { name: 'link', ...files }];
    const mutualListener = (p: number): ConfigEntity => [
      'listener',
      { name: 'inter-router', host: '127.0.0.1', port: p, role: 'inter-router', sslProfile: 'link', authenticatePeer: true, requireSsl: true, saslMechanisms: 'EXTERNAL' },
    ];
    // Dialled by name: skrouterd (Proton) checks a host name against the certificate's DNS names
    // and common name only, so an address it dials as 127.0.0.1 fails its check even with an IP SAN.
    const tlsConnector = (p: number): ConfigEntity => ['connector', { name: 'to-peer', host: 'localhost', port: p, role: 'inter-router', sslProfile: 'link' }];

    beforeAll(async () => {
      echo = await startEchoServer();
      skr = await startSkrouterd('SKR', [
        ['router', { id: 'SKR', mode: 'interior', workerThreads: 2 }],
        linkTls(pki.issue('skr')),
        ['listener', { host: '127.0.0.1', port: port.normalSkr, role: 'normal' }],
        dialler === 'skiff' ? mutualListener(port.irSkr) : tlsConnector(port.irSkiff),
        ['tcpListener', { name: 'to-skiff', host: '127.0.0.1', port: port.skrIn, address: 'tls/to-skiff' }],
        ['tcpConnector', { name: 'echo', host: '127.0.0.1', port: echo.port, address: 'tls/to-skr' }],
      ], port.normalSkr);
      skiff = await startRouter('SKIFF', [
        ['router', { id: 'SKIFF', mode: 'interior' }],
        linkTls(pki.issue('skiff')),
        ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
        dialler === 'skiff' ? tlsConnector(port.irSkr) : mutualListener(port.irSkiff),
        ['tcpListener', { name: 'to-skr', host: '127.0.0.1', port: port.skiffIn, address: 'tls/to-skr' }],
        ['tcpConnector', { name: 'echo', host: '127.0.0.1', port: echo.port, address: 'tls/to-skiff' }],
      ]);
      // skrouterd retries a refused dial only after 5 s.
      await skiff.waitForLog(/inter-router link to SKR up/, 20_000);
      await waitForTcpListeners([port.skrIn, port.skiffIn]);
    }, 60_000);

    afterAll(async () => {
      await stopAllRouters();
      await stopAllSkrouterd();
      await echo.close();
      pki.dispose();
      other.dispose();
    });

    it('the link is up: the listener required the peer certificate and SASL EXTERNAL', () => {
      expect(skiff.log()).toMatch(/inter-router link to SKR up/);
      expect(skr.process.exitCode).toBeNull();
    });

    for (const [way, listener] of [['skrouterd listener → skiff connector', 'skrIn'], ['skiff listener → skrouterd connector', 'skiffIn']] as const) {
      it(`${way}: 4 MiB and 20 concurrent 64 KiB echoes intact over the TLS link`, async () => {
        const big = await echoThrough(port[listener], 4 * MiB, 60_000);
        expect(big.received).toBe(big.sent);
        const many = await Promise.all(Array.from({ length: 20 }, () => echoThrough(port[listener], 64 * 1024, 60_000)));
        expect(many.filter((r) => r.received !== r.sent)).toEqual([]);
      }, 90_000);
    }

    it(`a ${dialler === 'skiff' ? 'skiff-router' : 'skrouterd'} whose certificate comes from another CA is refused, and the link stays up`, async () => {
      const intruderPort = dialler === 'skiff' ? port.irSkr : port.irSkiff;
      if (dialler === 'skiff') {
        const intruder = await startRouter('INTRUDER', [
          ['router', { id: 'INTRUDER', mode: 'interior' }],
          linkTls(other.issue('intruder')),
          tlsConnector(intruderPort),
        ], { waitForListeners: false });
        await intruder.waitForLog(/connector to-peer: connection to localhost:\d+ (failed|closed)/, 15_000);
        expect(intruder.log()).not.toMatch(/inter-router link to SKR up/);
        await intruder.stop();
      } else {
        const normal = base + 20;
        const intruder = await startSkrouterd('INTRUDER', [
          ['router', { id: 'INTRUDER', mode: 'interior', workerThreads: 1 }],
          linkTls(other.issue('intruder')),
          ['listener', { host: '127.0.0.1', port: normal, role: 'normal' }],
          tlsConnector(intruderPort),
        ], normal);
        await skiff.waitForLog(/listener inter-router: refused connection from 127\.0\.0\.1:\d+: TLS handshake failed/, 15_000);
        await intruder.stop();
      }
      expect(skiff.log()).not.toMatch(/inter-router link to INTRUDER up|inter-router link to SKR down/);
      const r = await echoThrough(port.skiffIn, 64 * 1024);
      expect(r.received).toBe(r.sent);
    }, 30_000);
  });
}

describe.skipIf(SKROUTERD === undefined)('interop - verifyHostname: a tcpConnector accepts the same server certificates on both routers', () => {
  const pki = new TestPki('peer-name-ca');
  const backends: Server[] = [];
  const cases = PEER_NAME_CASES.flatMap((c) => PEER_NAME_HOSTS.map((host) => ({ c, host, address: `names/${c.name}/${host}` })));
  const ports = { normalSkr: 24360, skr: (i: number) => 24361 + i, skiff: (i: number) => 24381 + i };

  beforeAll(async () => {
    const entities = (port: (i: number) => number, backend: (name: string) => number): ConfigEntity[] => [
      ['sslProfile', { name: 'backend-ca', caCertFile: pki.caCertFile }],
      ...cases.flatMap(({ c, host, address }, i): ConfigEntity[] => [
        ['tcpListener', { name: `in-${c.name}-${host}`, host: '127.0.0.1', port: port(i), address }],
        ['tcpConnector', { name: `out-${c.name}-${host}`, host, port: backend(c.name), address, sslProfile: 'backend-ca' }],
      ]),
    ];
    const backendPorts = new Map<string, number>();
    for (const c of PEER_NAME_CASES) {
      const pair = issuePeerNameCert(pki.ca, c);
      const server = createTlsServer({ cert: pair.cert, key: pair.key }, (socket) => {
        socket.on('error', () => undefined);
        socket.pipe(socket);
      });
      server.on('tlsClientError', () => undefined);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      backends.push(server);
      backendPorts.set(c.name, (server.address() as { port: number }).port);
    }
    const backend = (name: string): number => backendPorts.get(name)!;
    await startSkrouterd('SKR', [
      ['router', { id: 'SKR', mode: 'interior', workerThreads: 2 }],
      ['listener', { host: '127.0.0.1', port: ports.normalSkr, role: 'normal' }],
      ...entities(ports.skr, backend),
    ], ports.normalSkr);
    await startRouter('SKIFF', [['router', { id: 'SKIFF', mode: 'interior' }], ...entities(ports.skiff, backend)]);
    await waitForTcpListeners(cases.flatMap((_, i) => [ports.skr(i), ports.skiff(i)]));
  }, 60_000);

  afterAll(async () => {
    await stopAllRouters();
    await stopAllSkrouterd();
    for (const b of backends) b.close();
    pki.dispose();
  });

  it('each certificate, dialled as 127.0.0.1 and as localhost: skiff lets through what skrouterd lets through (and what CI\'s recording says)', async () => {
    const passes = async (port: number): Promise<boolean> => {
      const r = await echoThrough(port, 100, 15_000).catch(() => undefined);
      return r !== undefined && r.received === r.sent;
    };
    const outcomes = await Promise.all(cases.map(async ({ c, host }, i) => ({
      which: `${c.name} as ${host}`,
      skrouterd: await passes(ports.skr(i)),
      skiff: await passes(ports.skiff(i)),
      recorded: c.skrouterdAccepts[host],
    })));
    expect(outcomes.filter((o) => o.skiff !== o.skrouterd || o.skrouterd !== o.recorded)).toEqual([]);
  }, 60_000);
});
