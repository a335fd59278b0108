import { describe, expect, it } from 'vitest';
import { decodeComposite, decodeFrameBody } from '../../router/src/amqp/codec/composites.js';
import { Decoder } from '../../router/src/amqp/codec/decoder.js';
import { Encoder } from '../../router/src/amqp/codec/encoder.js';
import { FrameReader, type FrameSink } from '../../router/src/amqp/codec/frames.js';
import { decodeMessage } from '../../router/src/amqp/codec/message.js';
import { loadWireFiles, type WireRecord } from '../support/wire-fixtures.js';

interface Frame {
  type: number;
  channel: number;
  body: Buffer;
}

/** Feeds a record's bytes through a FrameReader and returns what it emitted. */
function readRecord(record: WireRecord): { headers: Buffer[]; frames: Frame[] } {
  const headers: Buffer[] = [];
  const frames: Frame[] = [];
  const sink: FrameSink = {
    onProtocolHeader: (h) => headers.push(Buffer.from(h)),
    onFrame: (type, channel, body) => frames.push({ type, channel, body: Buffer.from(body) }),
  };
  const reader = new FrameReader(sink);
  if (record.kind !== 'protocol-header') {
    // The reader starts expecting a protocol header; feed it one first.
    reader.push(Buffer.from('414d515000010000', 'hex'));
    headers.length = 0;
  }
  reader.push(Buffer.from(record.hex, 'hex'));
  return { headers, frames };
}

const files = loadWireFiles();

describe('codec - golden frames recorded from skupper-router', () => {
  it('finds the recorded connections', () => {
    expect(files.length).toBe(16);
  });

  for (const file of files) {
    it(`decodes every frame of ${file.name}`, () => {
      // Streamed deliveries: a transfer with more=true starts or continues a message whose
      // bytes are reassembled per link handle before the sections are decoded.
      const partial = new Map<string, Buffer[]>();
      let frames = 0;
      for (const record of file.records) {
        const { headers, frames: got } = readRecord(record);
        if (record.kind === 'protocol-header') {
          expect(headers).toHaveLength(1);
          continue;
        }
        expect(got).toHaveLength(1);
        const frame = got[0]!;
        frames++;
        if (frame.body.length === 0) {
          expect(record.performative).toBe('empty (heartbeat)');
          continue;
        }
        expect(frame.channel).toBe(record.channel);
        const { performative, payload } = decodeFrameBody(frame.body);
        expect(performative.$type).toBe(record.performative);
        if (performative.$type !== 'transfer') continue;
        const key = `${record.dir}/${frame.channel}/${String(performative.handle ?? 0)}`;
        const parts = partial.get(key) ?? [];
        parts.push(payload);
        if (performative.more === true) {
          partial.set(key, parts);
          // The head of a stream decodes as sections up to its dummy body.
          if (parts.length === 1) decodeMessage(payload, { streaming: true });
          continue;
        }
        partial.delete(key);
        const whole = Buffer.concat(parts);
        if (whole.length > 0) decodeMessage(whole, { streaming: true });
      }
      expect(frames).toBeGreaterThan(0);
    });
  }

  it('re-encodes every recorded performative with the same types and values', () => {
    let checked = 0;
    for (const file of files) {
      for (const record of file.records) {
        if (record.kind === 'protocol-header') continue;
        const { frames } = readRecord(record);
        const body = frames[0]!.body;
        if (body.length === 0) continue;
        const dec = new Decoder(body, 0, { keepTypes: true });
        const original = dec.read();
        const enc = new Encoder();
        enc.write(original);
        const again = new Decoder(Buffer.from(enc.view()), 0, { keepTypes: true }).read();
        expect(again).toEqual(original);
        // And through the composite tables: decode, encode via the schema, decode again.
        expect(decodeComposite(new Decoder(Buffer.from(enc.view())).read())).toEqual(
          decodeComposite(new Decoder(body).read()),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
