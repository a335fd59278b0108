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

/**
 * Bytes at the start of a frame kept contiguous when the frame spans transport chunks: the frame
 * header, any extended header (at most 1020 bytes) and, in practice, the performative.
 */
const FRAME_START_BYTES = 1024;
const NO_TAIL: readonly Buffer[] = Object.freeze([]);

export interface FrameSink {
  /** A protocol header arrived (8 bytes, a view valid during the call). */
  onProtocolHeader(header: Buffer): void;
  /**
   * A frame arrived. `body` is a view of the bytes after the extended header. A frame that spanned
   * transport chunks keeps only its first FRAME_START_BYTES contiguous: the rest of its bytes
   * arrive in `tail`, views of the later chunks in order, never joined (a payload is not copied).
   * The views stay valid: transports hand out a fresh buffer for every read.
   */
  onFrame(type: number, channel: number, body: Buffer, tail: readonly Buffer[]): void;
}

/**
 * Splits a byte stream into protocol headers and frames without copying payloads. Before each
 * protocol header the owner calls `expectProtocolHeader()`; everything else is framed.
 */
export class FrameReader {
  /** Pieces of a unit that spans chunks, and their length. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Size of the pending unit, once its size prefix has arrived. */
  private pendingSize: number | undefined = undefined;
  private wantHeader = true;
  maxFrameSize = 0xffffffff;

  constructor(private readonly sink: FrameSink) {}

  expectProtocolHeader(): void {
    this.wantHeader = true;
  }

  /** Feeds bytes from the transport. Throws AmqpDecodeError on a malformed frame header. */
  push(chunk: Buffer): void {
    let offset = this.pendingBytes > 0 ? this.completePending(chunk) : 0;
    while (offset >= 0 && offset < chunk.length) {
      const size = this.unitSize(chunk, offset);
      if (size === undefined || chunk.length - offset < size) {
        this.pending.push(chunk.subarray(offset));
        this.pendingBytes = chunk.length - offset;
        this.pendingSize = size;
        return;
      }
      this.deliver(chunk, offset, size, NO_TAIL);
      offset += size;
    }
  }

  /** Adds `chunk` to the unit that spans chunks; returns where the rest of `chunk` starts, or -1. */
  private completePending(chunk: Buffer): number {
    // The size prefix itself was split (a few bytes): join just those to read it.
    this.pendingSize ??= this.unitSize(Buffer.concat([...this.pending, chunk.subarray(0, 4)]), 0);
    const missing = this.pendingSize === undefined ? Infinity : this.pendingSize - this.pendingBytes;
    if (chunk.length < missing) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      return -1;
    }
    const size = this.pendingSize!;
    const pieces = this.pending;
    pieces.push(chunk.subarray(0, missing));
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingSize = undefined;
    const start = takeStart(pieces, Math.min(size, FRAME_START_BYTES));
    this.deliver(start, 0, size, pieces);
    return missing;
  }

  /** Bytes the unit at `offset` takes: 8 for a protocol header, the frame size otherwise. */
  private unitSize(buf: Buffer, offset: number): number | undefined {
    if (this.wantHeader) return 8;
    if (buf.length - offset < 4) return undefined;
    const size = buf.readUInt32BE(offset);
    if (size < FRAME_HEADER_SIZE) throw new AmqpDecodeError(`frame size ${size} is smaller than a frame header`);
    if (size > this.maxFrameSize) {
      throw new AmqpDecodeError(`frame of ${size} bytes exceeds the negotiated max-frame-size ${this.maxFrameSize}`);
    }
    return size;
  }

  /** Delivers the unit starting at `offset` of `buf`; `tail` holds its bytes beyond `buf`. */
  private deliver(buf: Buffer, offset: number, size: number, tail: readonly Buffer[]): void {
    if (this.wantHeader) {
      this.wantHeader = false;
      this.sink.onProtocolHeader(buf.subarray(offset, offset + 8));
      return;
    }
    const doff = buf[offset + 4]!;
    if (doff < 2 || doff * 4 > size) throw new AmqpDecodeError(`frame data offset ${doff} is invalid`);
    const type = buf[offset + 5]!;
    const channel = buf.readUInt16BE(offset + 6);
    const end = tail.length === 0 ? offset + size : buf.length;
    this.sink.onFrame(type, channel, buf.subarray(offset + doff * 4, end), tail);
  }
}

/**
 * Takes a unit's first `bytes` off `pieces` as one buffer: the first piece itself when it holds
 * them, else a copy of just those bytes. `pieces` keeps the rest, in order.
 */
function takeStart(pieces: Buffer[], bytes: number): Buffer {
  const first = pieces[0]!;
  if (first.length >= bytes) {
    pieces.shift();
    return first;
  }
  const start = Buffer.allocUnsafe(bytes);
  let filled = 0;
  while (filled < bytes) {
    const piece = pieces[0]!;
    const take = Math.min(piece.length, bytes - filled);
    piece.copy(start, filled, 0, take);
    filled += take;
    if (take === piece.length) pieces.shift();
    else pieces[0] = piece.subarray(take);
  }
  return start;
}

/** Writes a frame header for a body of `bodyLength` bytes into `out` at `offset`. */
export function writeFrameHeader(out: Buffer, offset: number, bodyLength: number, type: number, channel: number): void {
  out.writeUInt32BE(FRAME_HEADER_SIZE + bodyLength, offset);
  out[offset + 4] = 2;
  out[offset + 5] = type;
  out.writeUInt16BE(channel, offset + 6);
}
