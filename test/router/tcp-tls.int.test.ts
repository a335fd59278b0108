/**
 * Application TLS on the TCP adaptor: a tcpListener with an sslProfile serves TLS clients and
 * refuses plain ones; a tcpConnector with an sslProfile reaches a TLS backend (hostname checked).
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer, type ConnectionOptions, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, type RouterProcess } from '../support/router-process.js';
import { TestPki } from '../support/tls-files.js';

const pki = new TestPki('app-ca');
let backend: Server;
let a: RouterProcess;
let port = 0;

beforeAll(async () => {
  const backendFiles = pki.issue('backend');
  backend = createTlsServer({ cert: readFileSync(backendFiles.certFile), key: readFileSync(backendFiles.privateKeyFile), allowHalfOpen: true }, (socket) => {
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  const frontFiles = pki.issue('front');
  a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
    ['sslProfile', { name: 'front', certFile: frontFiles.certFile, privateKeyFile: frontFiles.privateKeyFile }],
    ['tcpListener', { name: 'tls-in', host: '127.0.0.1', port: 0, address: 'tls-svc', sslProfile: 'front' }],
  ]);
  await startRouter('B', [
    ['router', { id: 'B', mode: 'interior' }],
    ['connector', { name: 'to-A', host: '127.0.0.1', port: a.ports.get('inter-router')!, role: 'inter-router' }],
    ['sslProfile', { name: 'backend-ca', caCertFile: pki.caCertFile }],
    ['tcpConnector', { name: 'tls-out', host: '127.0.0.1', port: (backend.address() as { port: number }).port, address: 'tls-svc', sslProfile: 'backend-ca' }],
  ], { waitForListeners: false });
  port = Number(/:(\d+) for/.exec(await a.waitForLog(/tcpListener tls-in listening on/, 15_000))![1]);
});

afterAll(async () => {
  await stopAllRouters();
  backend.close();
  pki.dispose();
});

describe('tcp adaptor - application TLS', () => {
  it('serves a TLS client through to a TLS backend, bytes intact both ways', async () => {
    const payload = randomBytes(3 * 1024 * 1024);
    // allowHalfOpen is a socket option tls.connect passes on, though its typings omit it.
    const client = tlsConnect({ host: '127.0.0.1', port, ca: readFileSync(pki.caCertFile), allowHalfOpen: true } as ConnectionOptions);
    await once(client, 'secureConnect');
    const hash = createHash('sha256');
    let received = 0;
    client.on('data', (d: Buffer) => {
      hash.update(d);
      received += d.length;
    });
    client.end(payload);
    await once(client, 'end');
    expect(received).toBe(payload.length);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
  });

  it('refuses a plain-TCP client on the TLS listener', async () => {
    const plain = netConnect(port, '127.0.0.1');
    plain.on('error', () => undefined);
    await once(plain, 'connect');
    plain.write('GET / HTTP/1.0\r\n\r\n');
    let got = '';
    plain.on('data', (d: Buffer) => (got += d.toString('latin1')));
    await once(plain, 'close');
    expect(got).not.toContain('GET');
    await a.waitForLog(/tcpListener tls-in: TLS handshake with a client failed/);
  });
});
