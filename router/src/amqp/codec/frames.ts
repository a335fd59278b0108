import { AmqpDecodeError } from '../../errors.js';

/** Frame types (AMQP 1.0 part 2, 2.3). */
export const FrameType = { amqp: 0, sasl: 1 } as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** The 8-byte protocol headers: "AMQP" then protocol id (0 AMQP, 2 TLS, 3 SASL), 1.0.0. */
export const AMQP_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0x00, 0x01, 0x00, 0x00]);
export const SASL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0x03, 0x01, 0x00, 0x00]);
export const FRAME_HEADER_SIZE = 8;
/** The smallest max-frame-size a peer may announce (part 2, 2.7.1). */
export const MIN_MAX_FRAME_SIZE = 512;

export interface FrameSink {
  /** A protocol header arrived (8 bytes, a view valid during the call). */
  onProtocolHeader(header: Buffer): void;
  /** A frame arrived; `body` is a view of the bytes after the extended header, valid during the call. */
  onFrame(type: number, channel: number, body: Buffer): void;
}

/**
 * Splits a byte stream into protocol headers and frames without copying a frame that lies inside
 * one chunk. A frame that spans chunks is assembled once. Before each protocol header the owner
 * calls `expectProtocolHeader()`; everything else is framed.
 */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private wantHeader = true;
  maxFrameSize = 0xffffffff;

  constructor(private readonly sink: FrameSink) {}

  expectProtocolHeader(): void {
    this.wantHeader = true;
  }

  /** Feeds bytes from the transport. Throws AmqpDecodeError on a malformed frame header. */
  push(chunk: Buffer): void {
    if (this.pendingBytes > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      const need = this.neededBytes(this.peekPending());
      if (need === undefined || this.pendingBytes < need) return;
      chunk = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
    }
    let offset = 0;
    while (offset < chunk.length) {
      const need = this.neededBytes(chunk.subarray(offset, offset + 8));
      if (need === undefined || chunk.length - offset < need) {
        const rest = chunk.subarray(offset);
        this.pending.push(rest);
        this.pendingBytes = rest.length;
        return;
      }
      this.deliver(chunk, offset, need);
      offset += need;
    }
  }

  /** The first 8 pending bytes (header or frame-size prefix), joined only when split. */
  private peekPending(): Buffer {
    const first = this.pending[0]!;
    if (first.length >= 8 || this.pending.length === 1) return first;
    return Buffer.concat(this.pending).subarray(0, 8);
  }

  /** Bytes the next unit needs: 8 for a protocol header, the frame size otherwise. */
  private neededBytes(head: Buffer): number | undefined {
    if (this.wantHeader) return 8;
    if (head.length < 4) return undefined;
    const size = head.readUInt32BE(0);
    if (size < FRAME_HEADER_SIZE) throw new AmqpDecodeError(`frame size ${size} is smaller than a frame header`);
    if (size > this.maxFrameSize) {
      throw new AmqpDecodeError(`frame of ${size} bytes exceeds the negotiated max-frame-size ${this.maxFrameSize}`);
    }
    return size;
  }

  private deliver(buf: Buffer, offset: number, size: number): void {
    if (this.wantHeader) {
      this.wantHeader = false;
      this.sink.onProtocolHeader(buf.subarray(offset, offset + 8));
      return;
    }
    const doff = buf[offset + 4]!;
    if (doff < 2 || doff * 4 > size) throw new AmqpDecodeError(`frame data offset ${doff} is invalid`);
    const type = buf[offset + 5]!;
    const channel = buf.readUInt16BE(offset + 6);
    this.sink.onFrame(type, channel, buf.subarray(offset + doff * 4, offset + size));
  }
}

/** Writes a frame header for a body of `bodyLength` bytes into `out` at `offset`. */
export function writeFrameHeader(out: Buffer, offset: number, bodyLength: number, type: number, channel: number): void {
  out.writeUInt32BE(FRAME_HEADER_SIZE + bodyLength, offset);
  out[offset + 4] = 2;
  out[offset + 5] = type;
  out.writeUInt16BE(channel, offset + 6);
}
