import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, waitFor, type RouterProcess } from '../support/router-process.js';
import { TestPki } from '../support/tls-files.js';

const pki = new TestPki();
const other = new TestPki('other-ca');

let a: RouterProcess;
let b: RouterProcess;
let interRouterPort = 0;

beforeAll(async () => {
  const aFiles = pki.issue('router-a');
  a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['sslProfile', { name: 'link', ...aFiles }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router', sslProfile: 'link', authenticatePeer: true, saslMechanisms: 'EXTERNAL' }],
  ]);
  interRouterPort = a.ports.get('inter-router')!;
  b = await startRouter('B', [
    ['router', { id: 'B', mode: 'interior' }],
    ['sslProfile', { name: 'link', ...pki.issue('router-b') }],
    ['connector', { name: 'to-A', host: '127.0.0.1', port: interRouterPort, role: 'inter-router', sslProfile: 'link' }],
  ], { waitForListeners: false });
  await a.waitForLog(/inter-router link to B up/);
  await b.waitForLog(/inter-router link to A up/);
});

afterAll(async () => {
  await stopAllRouters();
  pki.dispose();
  other.dispose();
});

/** Opens a connection, writes `bytes`, and resolves with how it ended. */
function probe(open: () => import('node:net').Socket, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = open();
    socket.on('error', (err) => resolve(`error: ${err.message}`));
    socket.on('close', () => resolve('closed'));
    socket.on('connect', () => socket.write(bytes));
    socket.on('secureConnect', () => socket.write(bytes));
    socket.setTimeout(5000, () => {
      socket.destroy();
      resolve('still open');
    });
  });
}

describe('inter-router links over mutual TLS', () => {
  it('links two routers with EXTERNAL authentication', () => {
    expect(a.log()).toMatch(/connection from 127\.0\.0\.1:\d+ opened \(role inter-router, container B\)/);
  });

  it('refuses a peer whose certificate comes from another CA, and logs who and why', async () => {
    const files = other.issue('intruder');
    const outcome = await probe(
      () => tlsConnect({ host: '127.0.0.1', port: interRouterPort, ca: readFileSync(pki.caCertFile), cert: readFileSync(files.certFile), key: readFileSync(files.privateKeyFile), rejectUnauthorized: false }),
      Buffer.from('AMQP\x03\x01\x00\x00', 'latin1'),
    );
    expect(outcome).not.toBe('still open');
    await a.waitForLog(/refused connection from 127\.0\.0\.1:\d+: TLS handshake failed/);
  });

  it('refuses a plain-TCP client and a garbage-bytes client', async () => {
    const before = (a.log().match(/refused connection/g) ?? []).length;
    const plain = await probe(() => netConnect(interRouterPort, '127.0.0.1'), Buffer.from('AMQP\x00\x01\x00\x00', 'latin1'));
    const garbage = await probe(() => netConnect(interRouterPort, '127.0.0.1'), Buffer.from('GET / HTTP/1.1\r\n\r\n\x00\xff\x13garbage'));
    expect(plain).not.toBe('still open');
    expect(garbage).not.toBe('still open');
    await waitFor(() => (a.log().match(/refused connection/g) ?? []).length >= before + 2, 'both refusals logged', 5000);
  });

  it('keeps the existing link up through all of that', () => {
    expect(a.log()).not.toMatch(/inter-router link to B down|connection from 127\.0\.0\.1:\d+ closed.*container B/);
    expect(b.log()).not.toMatch(/connection to 127\.0\.0\.1:\d+ closed/);
    expect(a.process.exitCode).toBeNull();
  });
});
