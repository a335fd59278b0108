import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeFrameBody } from '../../router/src/amqp/codec/composites.js';
import { FrameReader } from '../../router/src/amqp/codec/frames.js';
import { FrameWriter } from '../../router/src/amqp/engine/frame-writer.js';

/** Writes frames through a FrameWriter and reads them back with the FrameReader. */
async function roundTrip(write: (w: FrameWriter) => void): Promise<Array<{ channel: number; fields: Record<string, unknown>; payload: Buffer }>> {
  const stream = new PassThrough();
  const writer = new FrameWriter(stream);
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  write(writer);
  await new Promise((r) => setImmediate(r));
  const out: Array<{ channel: number; fields: Record<string, unknown>; payload: Buffer }> = [];
  const reader = new FrameReader({
    onProtocolHeader: () => undefined,
    onFrame: (_type, channel, body, tail) => {
      const { performative, payload, tail: rest } = decodeFrameBody(body, tail);
      out.push({ channel, fields: performative, payload: Buffer.concat([payload, ...rest]) });
    },
  });
  reader.push(Buffer.from('AMQP\x00\x01\x00\x00', 'latin1'));
  reader.push(Buffer.concat(chunks));
  return out;
}

describe('frame writer - hand-built continuation transfers', () => {
  for (const handle of [0, 7, 255, 256, 70_000]) {
    for (const more of [true, false]) {
      it(`decodes as a transfer with handle ${handle}, more ${more}, payload intact`, async () => {
        const payload = Buffer.from(`payload for ${handle}`);
        const [frame] = await roundTrip((w) => w.continuation(3, handle, [payload], more));
        expect(frame!.channel).toBe(3);
        expect(frame!.fields).toEqual({ $type: 'transfer', handle, ...(more ? { more: true } : {}) });
        expect(frame!.payload.equals(payload)).toBe(true);
      });
    }
  }

  it('keeps the payload as given, not a copy of a scratch buffer', async () => {
    const a = Buffer.from('first');
    const b = Buffer.from('second');
    const frames = await roundTrip((w) => {
      w.continuation(0, 1, [a], true);
      w.continuation(0, 1, [b], false);
    });
    expect(frames.map((f) => f.payload.toString())).toEqual(['first', 'second']);
  });

  it('writes a payload given in pieces as one frame', async () => {
    const [frame] = await roundTrip((w) => w.continuation(0, 2, [Buffer.from('one '), Buffer.from('frame')], true));
    expect(frame!.payload.toString()).toBe('one frame');
  });
});
