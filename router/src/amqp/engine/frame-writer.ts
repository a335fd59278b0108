import type { Duplex } from 'node:stream';
import { encodeComposite, type CompositeName } from '../codec/composites.js';
import { Encoder } from '../codec/encoder.js';
import { FRAME_HEADER_SIZE, FrameType, writeFrameHeader } from '../codec/frames.js';

/** Largest hand-built continuation header: frame header, descriptor, list, uint handle, 5 fields. */
const CONTINUATION_MAX = 8 + 3 + 3 + 5 + 5;

/**
 * Writes frames to a transport. Performatives are encoded into one reused scratch buffer and copied
 * once into a right-sized chunk; payloads are handed to the socket as they are (views, no copy).
 * Writes are corked until the event loop has run the callbacks of its current I/O round, so the
 * frames of every stream that had bytes in that round leave in one writev (one TLS write).
 */
export class FrameWriter {
  private readonly enc = new Encoder(4096);
  private corked = false;
  /** While SASL runs, AMQP frames the owner writes wait here (the peer may not see them yet). */
  private held: Buffer[] | undefined = undefined;
  /** Bytes handed to the socket; the engine uses it to notice output for heartbeats. */
  bytesOut = 0;

  constructor(private readonly socket: Duplex) {}

  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  private cork(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    setImmediate(this.uncork);
  }

  /** Holds AMQP output until `release` (a client begins sessions before SASL completes). */
  hold(): void {
    this.held = [];
  }

  /** Writes what `first` writes (the AMQP header and open), then everything held. */
  release(first: () => void): void {
    const held = this.held ?? [];
    this.held = undefined;
    first();
    for (const bytes of held) this.raw(bytes);
  }

  raw(bytes: Buffer, bypassHold = false): void {
    // After our end nothing more may go (a frame answering one that crossed our close would fail the socket).
    if (this.socket.destroyed || this.socket.writableEnded) return;
    if (this.held !== undefined && !bypassHold) {
      this.held.push(bytes);
      return;
    }
    this.cork();
    this.bytesOut += bytes.length;
    this.socket.write(bytes);
  }

  /** An empty frame: a heartbeat that keeps the peer's idle timer from expiring. */
  heartbeat(): void {
    const frame = Buffer.allocUnsafe(FRAME_HEADER_SIZE);
    writeFrameHeader(frame, 0, 0, FrameType.amqp, 0);
    this.raw(frame);
  }

  /** Writes one frame: a performative and an optional payload in pieces (not copied). */
  frame(
    type: FrameType,
    channel: number,
    name: CompositeName,
    fields: Readonly<Record<string, unknown>>,
    payload?: readonly Buffer[],
  ): void {
    const enc = this.enc.reset();
    enc.ensure(FRAME_HEADER_SIZE);
    enc.offset = FRAME_HEADER_SIZE;
    encodeComposite(enc, name, fields);
    const head = Buffer.from(enc.view());
    writeFrameHeader(head, 0, head.length - FRAME_HEADER_SIZE + piecesLength(payload), type, channel);
    const bypassHold = type === FrameType.sasl;
    this.raw(head, bypassHold);
    if (payload !== undefined) this.pieces(payload, bypassHold);
  }

  private pieces(payload: readonly Buffer[], bypassHold = false): void {
    for (const piece of payload) if (piece.length > 0) this.raw(piece, bypassHold);
  }

  /**
   * A transfer frame that continues a delivery: only `handle` and `more` are set, so the header is
   * built by hand (no encoder, one small allocation) and the payload follows as it is.
   *
   *   size(4) doff(1)=2 type(1)=0 channel(2) | 00 53 14 | c0 len count | handle | 40 40 40 40 | 41
   */
  continuation(channel: number, handle: number, payload: readonly Buffer[], more: boolean): void {
    const head = Buffer.allocUnsafe(CONTINUATION_MAX);
    let at = 8;
    head[at++] = 0x00;
    head[at++] = 0x53;
    head[at++] = 0x14;
    head[at++] = 0xc0;
    const sizeAt = at++;
    head[at++] = more ? 6 : 1;
    if (handle === 0) head[at++] = 0x43;
    else if (handle <= 0xff) {
      head[at++] = 0x52;
      head[at++] = handle;
    } else {
      head[at++] = 0x70;
      head.writeUInt32BE(handle, at);
      at += 4;
    }
    if (more) {
      // delivery-id, delivery-tag, message-format, settled: null; more: true.
      head.fill(0x40, at, at + 4);
      at += 4;
      head[at++] = 0x41;
    }
    head[sizeAt] = at - sizeAt - 1;
    writeFrameHeader(head, 0, at - FRAME_HEADER_SIZE + piecesLength(payload), FrameType.amqp, channel);
    this.raw(head.subarray(0, at));
    this.pieces(payload);
  }

  /** Size of a performative's encoding, for splitting payloads under max-frame-size. */
  performativeSize(name: CompositeName, fields: Readonly<Record<string, unknown>>): number {
    const enc = this.enc.reset();
    encodeComposite(enc, name, fields);
    return enc.offset;
  }
}

/** Bytes in a payload given in pieces (none when there is no payload). */
export function piecesLength(payload: readonly Buffer[] | undefined): number {
  let length = 0;
  if (payload !== undefined) for (const piece of payload) length += piece.length;
  return length;
}
