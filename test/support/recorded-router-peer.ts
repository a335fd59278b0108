/**
 * A stand-in for a skupper-router in CI, where none can be built: it dials a skiff-router's
 * inter-router listener as one of the routers of a recording (test/fixtures/skrouterd-wire) and
 * sends that router's recorded bytes — its open properties, its routing-protocol messages (HELLO
 * repeated every second, so the link stays up), its TCP stream transfers — so Skiff meets what a
 * real skupper-router put on the wire, in the order it put it there.
 *
 *   recorded router ──control link (qd.router)──▶ skiff-router     HELLO, LSR, MAR, RA, LSU, MAU
 *   recorded router ──stream link, one per stream──▶ skiff-router  head, payload frames, end
 *   recorded router ──data link (qd.router-data)──▶ skiff-router    a stream sent whole
 *   recorded router ◀──stream links skiff attaches── skiff-router   collected as PeerStream
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { decodeFrameBody } from '../../router/src/amqp/codec/composites.js';
import { Decoder } from '../../router/src/amqp/codec/decoder.js';
import { Encoder } from '../../router/src/amqp/codec/encoder.js';
import { decodeMessage, sectionCode, SectionCode } from '../../router/src/amqp/codec/message.js';
import { AmqpMap, Described } from '../../router/src/amqp/codec/values.js';
import { Connection } from '../../router/src/amqp/engine/connection.js';
import type { Delivery } from '../../router/src/amqp/engine/delivery.js';
import type { DeliveryState } from '../../router/src/amqp/engine/types.js';
import type { Link } from '../../router/src/amqp/engine/link.js';
import { viewMessage } from '../../router/src/core/message-view.js';
import { loadWireFile, type WireRecord } from './wire-fixtures.js';

type Direction = WireRecord['dir'];

/** One recorded transfer: its performative fields and the payload bytes it carried. */
export interface RecordedTransfer {
  channel: number;
  handle: number;
  more: boolean;
  payload: Buffer;
}

/** The transfers one side sent on a recorded connection, in order. */
export function recordedTransfers(file: string, dir: Direction): RecordedTransfer[] {
  return loadWireFile(file)
    .filter((r) => r.dir === dir && r.performative === 'transfer')
    .map((r) => {
      const bytes = Buffer.from(r.hex, 'hex');
      const { performative, payload } = decodeFrameBody(bytes.subarray(bytes[4]! * 4));
      return { channel: r.channel ?? 0, handle: Number(performative.handle), more: performative.more === true, payload: Buffer.from(payload) };
    });
}

/**
 * The recorded streams one side sent, each as the payloads of its transfers (head first, end
 * last): a stream is a delivery on one link whose first transfer says `more`.
 */
export function recordedStreams(file: string, dir: Direction): Buffer[][] {
  const streams: Buffer[][] = [];
  const open = new Map<string, Buffer[]>();
  for (const t of recordedTransfers(file, dir)) {
    const key = `${t.channel}/${t.handle}`;
    let stream = open.get(key);
    if (stream === undefined) {
      if (!t.more) continue; // a whole message, not a stream
      stream = [];
      streams.push(stream);
      open.set(key, stream);
    }
    stream.push(t.payload);
    if (!t.more) open.delete(key);
  }
  return streams;
}

/** The routing-protocol messages (HELLO, LSR, MAR, RA, LSU, MAU) one side sent, in order. */
function recordedRoutingMessages(file: string, dir: Direction): Buffer[] {
  return recordedTransfers(file, dir)
    .filter((t) => !t.more)
    .map((t) => t.payload)
    .filter((p) => {
      // Up to the body only: a stream sent whole has raw bytes after its amqp-value.
      const to = decodeMessage(p.subarray(viewMessage(p).bodyOffset), { streaming: true }).properties?.to ?? '';
      return /qdhello$|qdrouter$|qdrouter\.ma$/.test(to);
    });
}

function opcodeOf(message: Buffer): string {
  return String(decodeMessage(message.subarray(viewMessage(message).bodyOffset)).applicationProperties?.get('opcode'));
}

/** The recorded open's properties of the side that sent `dir` (product, version, ...). */
function recordedOpenProperties(file: string, dir: Direction): AmqpMap | undefined {
  const open = loadWireFile(file).find((r) => r.dir === dir && r.performative === 'open');
  if (open === undefined) return undefined;
  const bytes = Buffer.from(open.hex, 'hex');
  const props = decodeFrameBody(bytes.subarray(bytes[4]! * 4)).performative.properties;
  return props instanceof AmqpMap ? props : undefined;
}

/**
 * A stream head with another `to` (a reply head addressed to the reply-to of this run's
 * connection): the sections are re-encoded with their recorded AMQP types; bytes after the
 * amqp-value section (raw payload) follow unchanged.
 */
export function readdressedHead(head: Buffer, to: string): Buffer {
  const dec = new Decoder(head, 0, { keepTypes: true });
  const enc = new Encoder(head.length + to.length);
  while (dec.remaining > 0) {
    const section = dec.read();
    if (!(section instanceof Described)) throw new Error('recorded head: a section is not a described type');
    const code = sectionCode(section.descriptor);
    if (code === SectionCode.properties && Array.isArray(section.value)) section.value[2] = to;
    enc.write(section);
    if (code === SectionCode.amqpValue) break;
  }
  return Buffer.concat([enc.view(), head.subarray(dec.offset)]);
}

/** A stream skiff sent to the peer: its head and the payload bytes after it, as they arrive. */
export interface PeerStream {
  delivery: Delivery;
  head: Buffer;
  /** Payload bytes after the head so far. */
  payload: Buffer[];
  payloadBytes: number;
  ended: boolean;
}

export interface RecordedPeer {
  connection: Connection;
  /** Streams skiff opened toward this peer, in arrival order. */
  streams: PeerStream[];
  /** HELLOs received from skiff so far. */
  hellos: number;
  /** Sends a stream's recorded transfer payloads (head first) on a new link; the last ends it. */
  sendStream(transfers: readonly Buffer[], options?: { end?: boolean }): Promise<{ link: Link; delivery: Delivery }>;
  /** Continues a stream started with `sendStream(..., { end: false })`. */
  continueStream(sent: { link: Link; delivery: Delivery }, payloads: readonly Buffer[], more: boolean): void;
  /**
   * Sends one whole, unsettled transfer on a data link (`qd.router-data`), as skupper-router sends a
   * stream whose bytes had all arrived before it routed it; resolves with the outcome skiff settles it with.
   */
  sendOnDataLink(payload: Buffer): Promise<DeliveryState | undefined>;
  close(): Promise<void>;
}

const HELLO_INTERVAL_MS = 1000;
const STREAM_CREDIT = 250;

/**
 * Dials a skiff-router's inter-router listener as the router `routerId` of the recording whose
 * control connection is `controlFile`, and replays that router's routing-protocol messages.
 */
export async function connectRecordedPeer(options: { port: number; routerId: string; controlFile: string; dir: Direction }): Promise<RecordedPeer> {
  const socket = connect({ port: options.port, host: '127.0.0.1' });
  await once(socket, 'connect');
  const properties = recordedOpenProperties(options.controlFile, options.dir);
  const connection = new Connection(socket, {
    role: 'client',
    containerId: options.routerId,
    hostname: '127.0.0.1',
    logId: `[peer ${options.routerId}]`,
    peer: `127.0.0.1:${options.port}`,
    maxFrameSize: 16384,
    idleTimeoutMs: 16000,
    ...(properties === undefined ? {} : { properties }),
    offeredCapabilities: ['ANONYMOUS-RELAY', 'qd.streaming-links', 'qd.connection_trunking'],
    desiredCapabilities: ['ANONYMOUS-RELAY', 'qd.streaming-links', 'qd.connection_trunking'],
    saslClient: { mechanisms: ['ANONYMOUS'] },
  });
  const peer: RecordedPeer = {
    connection,
    streams: [],
    hellos: 0,
    sendStream: async (transfers, o = {}) => {
      const link = connection.beginSession().createLink(`qdlink.peer${peer.streams.length}${Date.now()}`, 'sender');
      const terminus = { durable: 0, expiryPolicy: 'link-detach', timeout: 0, dynamic: false };
      link.attach({ sndSettleMode: 2, source: terminus, target: terminus });
      if (link.credit <= 0) await new Promise<void>((resolve) => (link.onCredit = () => resolve()));
      const delivery = link.send(transfers[0]!, { more: true });
      const rest = transfers.slice(1);
      const sent = { link, delivery };
      if (rest.length > 0) peer.continueStream(sent, rest.slice(0, -1), true);
      if (o.end !== false && rest.length > 0) peer.continueStream(sent, [rest[rest.length - 1]!], false);
      return sent;
    },
    continueStream: (sent, payloads, more) => {
      if (payloads.length === 0 && more) return;
      sent.link.continueDelivery(sent.delivery, payloads, more);
    },
    sendOnDataLink: async (payload) => {
      const link = connection.beginSession().createLink('qdlink.peer-data', 'sender');
      const terminus = { durable: 0, expiryPolicy: 'link-detach', timeout: 0, dynamic: false, capabilities: ['qd.router-data'] };
      link.attach({ sndSettleMode: 2, source: terminus, target: terminus });
      if (link.credit <= 0) await new Promise<void>((resolve) => (link.onCredit = () => resolve()));
      const delivery = link.send(payload);
      return new Promise((resolve) => {
        delivery.onUpdate = (d) => {
          if (d.remoteSettled) resolve(d.remoteState);
        };
      });
    },
    close: async () => {
      clearInterval(hello);
      if (socket.destroyed) return;
      const closed = once(socket, 'close');
      connection.close();
      setTimeout(() => socket.destroy(), 500).unref();
      await closed;
    },
  };
  connection.onSessionBegun = (session) => {
    // Skiff attaches a link of its own for each stream it sends here.
    session.onRemoteAttach = (link) => {
      link.attach({ sndSettleMode: 2, source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
      if (link.role === 'sender') return;
      link.streaming = true;
      link.onDelivery = (d) => onStreamFrame(peer, d);
      link.flow(STREAM_CREDIT);
    };
  };
  const messages = recordedRoutingMessages(options.controlFile, options.dir);
  const lastHello = [...messages].reverse().find((m) => opcodeOf(m) === 'HELLO');
  if (lastHello === undefined) throw new Error(`${options.controlFile}: no HELLO recorded from ${options.routerId}`);
  await new Promise<void>((resolve, reject) => {
    connection.closed.add((_c, error) => reject(new Error(`skiff-router closed the connection: ${error?.description ?? 'no reason'}`)));
    connection.opened.add(() => resolve());
  });
  // The control link pair, as the dialling router attaches it.
  const control = connection.beginSession();
  const terminus = { durable: 0, expiryPolicy: 'link-detach', timeout: 0, dynamic: false, capabilities: ['qd.router'] };
  const inbound = control.createLink('qdlink.peer-control-in', 'receiver');
  inbound.onDelivery = (d) => {
    if (!d.partial && opcodeOf(d.payload()) === 'HELLO') peer.hellos++;
    inbound.addCredit(1);
  };
  inbound.attach({ sndSettleMode: 2, source: terminus, target: terminus });
  inbound.flow(STREAM_CREDIT);
  const outbound = control.createLink('qdlink.peer-control-out', 'sender');
  outbound.attach({ sndSettleMode: 2, source: terminus, target: terminus });
  await new Promise<void>((resolve) => (outbound.onCredit = () => resolve()));
  for (const m of messages) outbound.send(m, { settled: true });
  const hello = setInterval(() => {
    if (outbound.credit > 0) outbound.send(lastHello, { settled: true });
  }, HELLO_INTERVAL_MS);
  return peer;
}

/** A frame of a stream skiff sends: the head is everything up to the amqp-value section. */
function onStreamFrame(peer: RecordedPeer, d: Delivery): void {
  let stream = d.context as PeerStream | undefined;
  const bytes = d.chunks.length === 1 ? d.chunks[0]! : Buffer.concat(d.chunks);
  d.chunks = [];
  if (stream === undefined) {
    const view = viewMessage(bytes);
    const message = decodeMessage(bytes.subarray(view.bodyOffset), { streaming: true });
    const headEnd = view.bodyOffset + message.payloadOffset;
    stream = { delivery: d, head: bytes.subarray(0, headEnd), payload: [], payloadBytes: 0, ended: false };
    d.context = stream;
    peer.streams.push(stream);
    if (headEnd < bytes.length) {
      stream.payload.push(bytes.subarray(headEnd));
      stream.payloadBytes += bytes.length - headEnd;
    }
  } else if (bytes.length > 0) {
    stream.payload.push(bytes);
    stream.payloadBytes += bytes.length;
  }
  if (!d.partial) stream.ended = true;
}
