import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeFrameBody } from '../../router/src/amqp/codec/composites.js';
import { AMQP_HEADER, FrameReader } from '../../router/src/amqp/codec/frames.js';
import { FrameWriter } from '../../router/src/amqp/engine/frame-writer.js';

interface ReadFrame {
  fields: Record<string, unknown>;
  payload: Buffer;
  /** The pieces the payload arrived in. */
  pieces: Buffer[];
}

/** A protocol header and frames of every shape the data path sends, as one byte string. */
async function wireBytes(): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [AMQP_HEADER];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const writer = new FrameWriter(stream);
  writer.frame(0, 0, 'open', { containerId: 'reader-test', maxFrameSize: 65536 });
  writer.frame(0, 1, 'attach', { name: 'x'.repeat(3000), handle: 0, role: false });
  for (const size of [0, 1, 100, 1023, 1024, 1025, 16_320, 65_000]) {
    writer.continuation(1, 0, [Buffer.alloc(size, size % 251)], true);
  }
  writer.heartbeat();
  writer.frame(0, 1, 'transfer', { handle: 0, deliveryId: 1, more: false }, [Buffer.from('last')]);
  await new Promise((r) => setImmediate(r));
  return Buffer.concat(chunks);
}

/** Reads `bytes` in chunks of the given sizes; the chunks pushed are added to `pushed`. */
function readInChunks(bytes: Buffer, chunkSizes: () => number, pushed: Buffer[] = []): ReadFrame[] {
  const frames: ReadFrame[] = [];
  const reader = new FrameReader({
    onProtocolHeader: () => undefined,
    onFrame: (_type, _channel, body, tail) => {
      if (body.length === 0 && tail.length === 0) return;
      const { performative, payload, tail: rest } = decodeFrameBody(body, tail);
      const pieces = [payload, ...rest];
      frames.push({ fields: performative, payload: Buffer.concat(pieces), pieces });
    },
  });
  for (let at = 0; at < bytes.length; ) {
    const size = Math.max(1, chunkSizes());
    // Each chunk is a copy, as a socket read gives (Node may place it in its shared pool).
    const chunk = Buffer.from(bytes.subarray(at, at + size));
    pushed.push(chunk);
    reader.push(chunk);
    at += size;
  }
  return frames;
}

const digest = (frames: ReadFrame[]): string[] => frames.map((f) => `${String(f.fields.$type)} ${createHash('sha256').update(f.payload).digest('hex')}`);

describe('frame reader - frames that span transport chunks', () => {
  it('reads the same frames whatever the chunk sizes', async () => {
    const bytes = await wireBytes();
    const whole = readInChunks(bytes, () => bytes.length);
    expect(whole.map((f) => f.fields.$type)).toEqual(['open', 'attach', ...Array(8).fill('transfer'), 'transfer']);
    expect((whole[1]!.fields.name as string).length).toBe(3000);
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 20_000;
    for (const sizes of [() => 1, () => 7, () => 1000, () => 16_384, random]) {
      expect(digest(readInChunks(bytes, sizes))).toEqual(digest(whole));
    }
  });

  it('hands a large payload on in views of the chunks it arrived in, not a joined copy', async () => {
    const bytes = await wireBytes();
    const chunks: Buffer[] = [];
    const frames = readInChunks(bytes, () => 4096, chunks);
    const big = frames.find((f) => f.payload.length === 65_000)!;
    expect(big.pieces.length).toBeGreaterThan(10);
    // Every piece after the frame's first kilobyte lies within one of the chunks pushed: a view
    // of its memory (what Node's allocator puts around the chunk is no business of the reader's).
    const viewOfAChunk = (piece: Buffer): boolean =>
      chunks.some((c) => c.buffer === piece.buffer && piece.byteOffset >= c.byteOffset && piece.byteOffset + piece.length <= c.byteOffset + c.length);
    for (const piece of big.pieces.slice(1)) expect(viewOfAChunk(piece)).toBe(true);
    expect(big.payload.equals(Buffer.alloc(65_000, 65_000 % 251))).toBe(true);
  });
});
