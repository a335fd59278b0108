/**
 * Meshes that mix skrouterd and skiff-router: start either kind from the same entities, and the
 * checks the mesh tests make across them (a TCP echo, anycast and multicast messages over rhea).
 */
import rhea, { type Delivery, type EventContext } from 'rhea';
import { expect } from 'vitest';
import { receive, send, type CollectingReceiver } from '../support/amqp-clients.js';
import { startRouter, waitFor, type ConfigEntity } from '../support/router-process.js';
import { echoThrough, tryConnect } from '../support/tcp-peers.js';
import { startSkrouterd } from './skrouterd.js';

export type Kind = 'skiff' | 'skrouterd';

export interface MeshRouter {
  id: string;
  kind: Kind;
  /** Port of its normal (client) listener. */
  amqp: number;
  kill: () => void;
}

/**
 * Starts router `id` of `kind` in `mode` with a normal listener on `amqp` and `entities`
 * (listeners, connectors, TCP adaptors). Every router declares `mc` multicast.
 */
export async function startMeshRouter(kind: Kind, id: string, mode: 'interior' | 'edge', amqp: number, entities: ConfigEntity[]): Promise<MeshRouter> {
  const all: ConfigEntity[] = [
    ['router', { id, mode, ...(kind === 'skrouterd' ? { workerThreads: 2 } : {}) }],
    ['address', { prefix: 'mc', distribution: 'multicast' }],
    ['listener', { name: `${id}-amqp`, host: '127.0.0.1', port: amqp, role: 'normal' }],
    ...entities,
  ];
  if (kind === 'skrouterd') {
    const r = await startSkrouterd(id, all, amqp);
    return { id, kind, amqp, kill: () => r.process.kill('SIGKILL') };
  }
  const r = await startRouter(id, all);
  return { id, kind, amqp, kill: () => r.kill('SIGKILL') };
}

export const interRouterListener = (name: string, port: number, cost = 1): ConfigEntity => ['listener', { name, host: '127.0.0.1', port, role: 'inter-router', cost }];
export const interRouterConnector = (name: string, port: number, cost = 1): ConfigEntity => ['connector', { name, host: '127.0.0.1', port, role: 'inter-router', cost }];

/** Waits until the tcpListener on `port` is open, then checks a 256 KiB echo through it. */
export async function expectEcho(port: number, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => (await tryConnect(port)) === 'connected', `tcpListener ${port} open`, timeoutMs);
  const r = await echoThrough(port, 256 * 1024, 30_000);
  expect(r.receivedBytes).toBe(256 * 1024);
  expect(r.received).toBe(r.sent);
}

/** An anycast message from `from` reaches a consumer on `to`, accepted end to end. */
export async function expectAnycast(from: MeshRouter, to: MeshRouter, address: string): Promise<void> {
  const receiver = receive(to.amqp, address);
  await receiver.ready;
  const body = `${from.id} to ${to.id}`;
  // Credit comes once the address is routable from `from`.
  expect((await send(from.amqp, address, [body], 20_000)).outcomes).toEqual(['accepted']);
  await waitFor(() => receiver.bodies.includes(body), `the message on ${to.id}`);
  receiver.close();
}

/** A sender that stays attached, so that an edge keeps its sender toward its interior bound. */
async function openSender(port: number, address: string): Promise<{ send: (body: string) => Promise<string>; close: () => void }> {
  const connection = rhea.create_container({ id: `mc-sender-${Math.random().toString(36).slice(2)}` }).connect({ host: '127.0.0.1', port, reconnect: false });
  const sender = connection.open_sender(address);
  const waiting = new Map<Delivery, (outcome: string) => void>();
  for (const outcome of ['accepted', 'released', 'rejected', 'modified']) {
    sender.on(outcome, (ctx: EventContext) => {
      if (ctx.delivery !== undefined) waiting.get(ctx.delivery)?.(outcome);
    });
  }
  await new Promise<void>((resolve) => sender.once('sendable', () => resolve()));
  return {
    send: (body) => new Promise<string>((resolve) => waiting.set(sender.send({ body }), resolve)),
    close: () => connection.close(),
  };
}

/**
 * Multicast from `from` reaches a consumer on each of `to`, once each. One sender stays attached
 * throughout (a skupper-router edge binds its sender toward the interior only once the interior
 * says the address is reachable, so a sender that comes and goes reaches only the edge's own
 * consumers); probes go out until every consumer has one; a marker sent after the messages
 * arrives after any duplicate would.
 */
export async function expectMulticast(from: MeshRouter, to: MeshRouter[], address: string): Promise<void> {
  const receivers: CollectingReceiver[] = to.map((r) => receive(r.amqp, address));
  await Promise.all(receivers.map((r) => r.ready));
  const sender = await openSender(from.amqp, address);
  try {
    await waitFor(async () => {
      await sender.send('probe');
      await new Promise((r) => setTimeout(r, 100));
      return receivers.every((r) => r.bodies.includes('probe'));
    }, `a probe on each of ${to.map((r) => r.id).join(', ')}`, 20_000);
    const before = receivers.map((r) => r.bodies.length);
    const bodies = ['one', 'two', 'three', 'marker'].map((b) => `${from.id} ${b}`);
    for (const b of bodies) expect(await sender.send(b)).toBe('accepted');
    await waitFor(() => receivers.every((r) => r.bodies.includes(bodies[3]!)), 'the marker on every consumer').catch((err: Error) => {
      throw new Error(`${err.message}; received: ${receivers.map((r, i) => `${to[i]!.id} ${JSON.stringify(r.bodies)}`).join('; ')}`);
    });
    receivers.forEach((r, i) => expect(r.bodies.slice(before[i]).filter((b) => b !== 'probe'), `on ${to[i]!.id}`).toEqual(bodies));
  } finally {
    sender.close();
    for (const r of receivers) r.close();
  }
}
