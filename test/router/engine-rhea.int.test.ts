import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import rhea from 'rhea';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../router/src/amqp/codec/message.js';
import { Encoder } from '../../router/src/amqp/codec/encoder.js';
import { Connection } from '../../router/src/amqp/engine/connection.js';
import type { Delivery } from '../../router/src/amqp/engine/delivery.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  while (cleanup.length > 0) cleanup.pop()!();
});

async function listen(onSocket: (s: Socket) => void): Promise<Server> {
  const server = createServer(onSocket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(() => server.close());
  return server;
}

function portOf(server: Server): number {
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('no port');
  return a.port;
}

describe('engine - interoperates with rhea', () => {
  it('accepts a rhea sender: messages arrive intact and rhea sees them accepted', async () => {
    const received: string[] = [];
    const server = await listen((socket) => {
      const conn = new Connection(socket, { role: 'server', containerId: 'skiff-test', logId: '[C1]', peer: 'test', saslServer: { mechanisms: ['ANONYMOUS'], peerCertificateVerified: false } });
      conn.onSessionBegun = (session) => {
        session.onRemoteAttach = (link) => {
          link.attach({ source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
          link.onDelivery = (d: Delivery) => {
            const msg = decodeMessage(d.payload());
            received.push(String(msg.body));
            d.accept();
          };
          link.flow(10);
        };
      };
    });
    const container = rhea.create_container({ id: 'rhea-client' });
    const rconn = container.connect({ host: '127.0.0.1', port: portOf(server), reconnect: false });
    cleanup.push(() => rconn.close());
    const sender = rconn.open_sender('queue/a');
    const accepted: number[] = [];
    const big = 'x'.repeat(100_000);
    let sent = false;
    await new Promise<void>((resolve, reject) => {
      sender.on('sendable', () => {
        if (sent) return;
        sent = true;
        sender.send({ body: 'hello' });
        sender.send({ body: big });
      });
      sender.on('accepted', () => {
        accepted.push(1);
        if (accepted.length === 2) resolve();
      });
      rconn.on('connection_error', reject);
      setTimeout(() => reject(new Error(`timeout; received ${received.length}`)), 5000);
    });
    expect(received).toEqual(['hello', big]);
  });

  it('sends to a rhea receiver over SASL ANONYMOUS and learns the outcome', async () => {
    const container = rhea.create_container({ id: 'rhea-server' });
    const got: string[] = [];
    container.on('message', (ctx) => {
      got.push(String(ctx.message?.body));
      ctx.delivery?.accept();
    });
    const server = container.listen({ port: 0, host: '127.0.0.1' }) as unknown as Server;
    await once(server, 'listening');
    cleanup.push(() => server.close());
    const socket = netConnect(portOf(server), '127.0.0.1');
    await once(socket, 'connect');
    const conn = new Connection(socket, { role: 'client', containerId: 'skiff-client', logId: '[C2]', peer: 'rhea', saslClient: { mechanisms: ['ANONYMOUS'] } });
    cleanup.push(() => socket.destroy());
    const session = conn.beginSession();
    const link = session.createLink('to-rhea', 'sender');
    link.attach({ source: { address: 'me' }, target: { address: 'queue/b' } });
    const outcome = await new Promise<string>((resolve, reject) => {
      link.onCredit = () => {
        if (link.context === 'sent') return;
        link.context = 'sent';
        const enc = new Encoder();
        encodeMessage(enc, { properties: { to: 'queue/b' }, body: 'from skiff' });
        const d = link.send(Buffer.from(enc.view()));
        d.onUpdate = (delivery) => resolve(delivery.remoteState?.$type ?? 'none');
      };
      setTimeout(() => reject(new Error('timeout')), 5000);
    });
    expect(outcome).toBe('accepted');
    expect(got).toEqual(['from skiff']);
  });
});
