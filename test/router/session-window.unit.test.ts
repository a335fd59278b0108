/**
 * Session windows and connection timers of the AMQP engine, against a hand-driven peer over an
 * in-memory stream (no sockets): transfers wait for room in the peer's incoming window, our own
 * incoming window is widened before it runs out, and the shared ticker with an injected clock
 * drives idle timeouts and heartbeats.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrameBody, type CompositeValue } from '../../router/src/amqp/codec/composites.js';
import { AMQP_HEADER, FrameReader, FrameType } from '../../router/src/amqp/codec/frames.js';
import { Connection } from '../../router/src/amqp/engine/connection.js';
import { FrameWriter } from '../../router/src/amqp/engine/frame-writer.js';
import { Ticker } from '../../router/src/amqp/engine/ticker.js';
import { duplexPair, until } from '../support/engine-pair.js';

const open: Connection[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

/** The far end of an engine connection, frame by frame: what it received, and a writer to answer. */
async function handPeer(options: { idleTimeoutMs?: number; ticker?: Ticker; peerIdleTimeOut?: number } = {}) {
  const [ours, theirs] = duplexPair();
  const frames: CompositeValue[] = [];
  let emptyFrames = 0;
  const reader = new FrameReader({
    onProtocolHeader: () => undefined,
    onFrame: (_type, _channel, body, tail) => {
      if (body.length === 0 && tail.length === 0) emptyFrames++;
      else frames.push(decodeFrameBody(body, tail).performative);
    },
  });
  theirs.on('data', (chunk: Buffer) => reader.push(chunk));
  const writer = new FrameWriter(theirs);
  const conn = new Connection(ours, {
    role: 'client',
    containerId: 'engine',
    logId: '[E]',
    peer: 'hand',
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    ...(options.ticker === undefined ? {} : { ticker: options.ticker }),
  });
  open.push(conn);
  writer.raw(AMQP_HEADER);
  writer.frame(FrameType.amqp, 0, 'open', { containerId: 'hand', idleTimeOut: options.peerIdleTimeOut });
  await until(() => conn.isOpen && conn.remoteOpen !== undefined);
  const of = (type: string): CompositeValue[] => frames.filter((f) => f.$type === type);
  return { conn, writer, frames, of, emptyFrames: () => emptyFrames };
}

describe('session windows - what the engine sends and grants', () => {
  it("holds transfers the peer's incoming window has no room for, and sends them when its flow widens it", async () => {
    const peer = await handPeer();
    const session = peer.conn.beginSession();
    await until(() => peer.of('begin').length === 1);
    peer.writer.frame(FrameType.amqp, 0, 'begin', { remoteChannel: 0, nextOutgoingId: 0, incomingWindow: 2, outgoingWindow: 100 });
    const link = session.createLink('out', 'sender');
    link.attach({ source: { address: 'a' }, target: { address: 'b' } });
    await until(() => peer.of('attach').length === 1);
    peer.writer.frame(FrameType.amqp, 0, 'attach', { name: 'out', handle: 0, role: true, source: { $type: 'source', address: 'a' }, target: { $type: 'target', address: 'b' }, initialDeliveryCount: 0 });
    peer.writer.frame(FrameType.amqp, 0, 'flow', { nextIncomingId: 0, incomingWindow: 2, nextOutgoingId: 0, outgoingWindow: 100, handle: 0, deliveryCount: 0, linkCredit: 10 });
    await until(() => link.credit === 10);

    for (let i = 0; i < 5; i++) link.send(Buffer.from([0x00, 0x53, 0x77, 0x40]), { settled: true });
    session.sendFlow(); // a marker: no window holds it, so what went before it has arrived when it has
    await until(() => peer.of('flow').length === 1);
    expect(peer.of('transfer')).toHaveLength(2);

    peer.writer.frame(FrameType.amqp, 0, 'flow', { nextIncomingId: 2, incomingWindow: 10, nextOutgoingId: 0, outgoingWindow: 100 });
    await until(() => peer.of('transfer').length === 5);
    expect(peer.of('transfer').map((t) => t.deliveryId)).toEqual([0, 1, 2, 3, 4]);
  });

  it('widens its own incoming window (8,192 frames) when half of it is used, not before', async () => {
    const peer = await handPeer();
    const session = peer.conn.beginSession();
    await until(() => peer.of('begin').length === 1);
    expect(peer.of('begin')[0]!.incomingWindow).toBe(8192);
    peer.writer.frame(FrameType.amqp, 0, 'begin', { remoteChannel: 0, nextOutgoingId: 0, incomingWindow: 100, outgoingWindow: 100_000 });
    const link = session.createLink('in', 'receiver');
    let received = 0;
    link.onDelivery = () => received++;
    link.attach({ source: { address: 'a' }, target: { address: 'b' } });
    await until(() => peer.of('attach').length === 1);
    peer.writer.frame(FrameType.amqp, 0, 'attach', { name: 'in', handle: 0, role: false, source: { $type: 'source', address: 'a' }, target: { $type: 'target', address: 'b' }, initialDeliveryCount: 0 });
    link.flow(5000);
    const sessionFlows = (): CompositeValue[] => peer.of('flow').filter((f) => f.handle === undefined);
    const body = [Buffer.from([0x00, 0x53, 0x77, 0x40])];
    const send = (from: number, to: number): void => {
      for (let id = from; id < to; id++) peer.writer.frame(FrameType.amqp, 0, 'transfer', { handle: 0, deliveryId: id, deliveryTag: Buffer.from([id & 0xff]), settled: true }, body);
    };
    send(0, 4096);
    await until(() => received === 4096);
    expect(sessionFlows()).toEqual([]);
    send(4096, 4097);
    await until(() => received === 4097 && sessionFlows().length === 1);
    expect(sessionFlows()[0]).toMatchObject({ nextIncomingId: 4097, incomingWindow: 8192 });
  });
});

describe('connection timers - one shared ticker, an injected clock', () => {
  it('closes a connection that received nothing for its idle timeout, and not a moment before', async () => {
    let now = 1_000_000;
    const ticker = new Ticker(1000, () => now);
    const peer = await handPeer({ idleTimeoutMs: 5000, ticker });
    now += 5000;
    ticker.tick();
    expect(peer.of('close')).toEqual([]);
    now += 1;
    ticker.tick();
    await until(() => peer.of('close').length === 1);
    expect(peer.of('close')[0]!.error).toMatchObject({ condition: 'amqp:resource-limit-exceeded' });
  });

  it('sends a heartbeat on a tick when nothing else went out since the last, if the peer has a timeout', async () => {
    const ticker = new Ticker(1000, () => 0);
    const peer = await handPeer({ ticker, peerIdleTimeOut: 4000 });
    ticker.tick(); // notes the bytes written so far (the header and open)
    ticker.tick();
    await until(() => peer.emptyFrames() === 1);
    peer.conn.beginSession();
    ticker.tick(); // the begin went out: no heartbeat needed
    peer.conn.beginSession(); // a marker: once it arrives, a heartbeat sent before it would have too
    await until(() => peer.of('begin').length === 2);
    expect(peer.emptyFrames()).toBe(1);
  });
});
