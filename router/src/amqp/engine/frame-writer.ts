import type { Duplex } from 'node:stream';
import { encodeComposite, type CompositeName } from '../codec/composites.js';
import { Encoder } from '../codec/encoder.js';
import { FRAME_HEADER_SIZE, FrameType, writeFrameHeader } from '../codec/frames.js';

/**
 * Writes frames to a transport. Performatives are encoded into one reused scratch buffer and copied
 * once into a right-sized chunk; payloads are handed to the socket as they are (views, no copy).
 * Writes are corked and flushed once per tick, so a burst of frames leaves in one writev.
 */
export class FrameWriter {
  private readonly enc = new Encoder(4096);
  private corked = false;
  /** While SASL runs, AMQP frames the owner writes wait here (the peer may not see them yet). */
  private held: Buffer[] | undefined = undefined;
  /** Bytes handed to the socket; the engine uses it to notice output for heartbeats. */
  bytesOut = 0;

  constructor(private readonly socket: Duplex) {}

  private cork(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => {
      this.corked = false;
      this.socket.uncork();
    });
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
    if (this.socket.destroyed) return;
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

  /** Writes one frame: a performative and an optional payload (not copied). */
  frame(
    type: FrameType,
    channel: number,
    name: CompositeName,
    fields: Readonly<Record<string, unknown>>,
    payload?: Buffer,
  ): void {
    const enc = this.enc.reset();
    enc.ensure(FRAME_HEADER_SIZE);
    enc.offset = FRAME_HEADER_SIZE;
    encodeComposite(enc, name, fields);
    const head = Buffer.from(enc.view());
    const payloadLength = payload?.length ?? 0;
    writeFrameHeader(head, 0, head.length - FRAME_HEADER_SIZE + payloadLength, type, channel);
    const bypassHold = type === FrameType.sasl;
    this.raw(head, bypassHold);
    if (payload !== undefined && payloadLength > 0) this.raw(payload, bypassHold);
  }

  /** Size of a performative's encoding, for splitting payloads under max-frame-size. */
  performativeSize(name: CompositeName, fields: Readonly<Record<string, unknown>>): number {
    const enc = this.enc.reset();
    encodeComposite(enc, name, fields);
    return enc.offset;
  }
}
