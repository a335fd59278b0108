import { once } from 'node:events';
import { connect as netConnect } from 'node:net';
import rhea from 'rhea';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Encoder } from '../../router/src/amqp/codec/encoder.js';
import { encodeMessage } from '../../router/src/amqp/codec/message.js';
import { Connection } from '../../router/src/amqp/engine/connection.js';
import type { Link } from '../../router/src/amqp/engine/link.js';
import type { AmqpError } from '../../router/src/amqp/engine/types.js';
import { closeAllClients, receive } from '../support/amqp-clients.js';
import { startRouter, stopAllRouters, waitFor, type RouterProcess } from '../support/router-process.js';

/**
 * A producer's credit as the router keeps it, seen from a client the router cannot trust: one
 * that aborts deliveries part way, and one that sends past its credit. The client is Skiff's own
 * engine, which (unlike rhea) lets a test do both.
 */
const LINK_CAPACITY = 250;

let router: RouterProcess;
let port = 0;
/** Client connections to close at the end (sockets of the engine's clients, rhea connections). */
const sockets: Array<{ destroy(): void }> = [];

beforeAll(async () => {
  router = await startRouter('PC', [
    ['router', { id: 'PC', mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
  ]);
  port = router.ports.get('amqp')!;
});

afterAll(async () => {
  closeAllClients();
  for (const s of sockets) s.destroy();
  await stopAllRouters();
});

function message(body: string): Buffer {
  const enc = new Encoder();
  encodeMessage(enc, { body });
  return Buffer.from(enc.view());
}

/** An attached producer link to `address`, once the router has granted its credit. */
async function producer(address: string): Promise<{ link: Link; detached: Promise<AmqpError | undefined> }> {
  const socket = netConnect(port, '127.0.0.1');
  sockets.push(socket);
  await once(socket, 'connect');
  const conn = new Connection(socket, { role: 'client', containerId: `producer-${address}`, logId: '[P]', peer: 'router', saslClient: { mechanisms: ['ANONYMOUS'] } });
  const link = conn.beginSession().createLink(`to-${address}`, 'sender');
  const detached = new Promise<AmqpError | undefined>((resolve) => link.detached.add((_l, error) => resolve(error)));
  link.attach({ source: { address: 'producer' }, target: { address } });
  await waitFor(() => link.credit === LINK_CAPACITY, `the router's credit on ${address}`);
  return { link, detached };
}

describe('producer credit - clients that misbehave', () => {
  it('a delivery aborted part way is not forwarded, and its credit comes back', async () => {
    const consumer = receive(port, 'aborts');
    await consumer.ready;
    const { link } = await producer('aborts');
    // What arrived before the abort decodes as a message on its own: it must still not go out.
    const aborted = link.send(message('aborted'), { more: true });
    link.abort(aborted);
    link.send(message('whole'));
    await waitFor(() => consumer.bodies.length === 1 && link.credit === LINK_CAPACITY, 'the whole message to arrive and the credit of both to come back');
    expect(consumer.bodies).toEqual(['whole']);
  });

  it('a producer that sends past its credit is detached with amqp:link:transfer-limit-exceeded', async () => {
    // Nothing settles: the address's only consumer grants no credit.
    const stalled = rhea.create_container({ id: 'stalled' }).connect({ host: '127.0.0.1', port, reconnect: false });
    sockets.push({ destroy: () => stalled.close() });
    const receiver = stalled.open_receiver({ source: { address: 'overrun' }, credit_window: 0 });
    await new Promise<void>((resolve) => receiver.once('receiver_open', () => resolve()));
    const { link, detached } = await producer('overrun');
    const bytes = message('x');
    for (let i = 0; i <= LINK_CAPACITY; i++) link.send(bytes);
    const error = await detached;
    expect(error?.condition).toBe('amqp:link:transfer-limit-exceeded');
  });
});
