/**
 * FrameReader: byte streams (recorded connections, mutated) read whole and again in random
 * chunks. Only AmqpDecodeError; the same units either way; no frame larger than max-frame-size is
 * ever held (a 4 GiB size field is refused at its header, before its bytes arrive).
 */
import fc from 'fast-check';
import { FrameReader } from '../../../router/src/amqp/codec/frames.js';
import { AmqpDecodeError } from '../../../router/src/errors.js';
import { documentedOnly, type FuzzTarget } from '../harness.js';
import { mutatedBytes } from '../mutate.js';
import { streamSeeds } from '../seeds.js';

interface Input {
  bytes: Buffer;
  /** Chunk sizes the transport delivers the bytes in (cycled). */
  cuts: number[];
  maxFrameSize: number;
}

/** What a reader saw, as text: units in order, then how it ended. */
function read(input: Input, chunked: boolean): string {
  const units: string[] = [];
  const reader = new FrameReader({
    onProtocolHeader: (header) => {
      units.push(`H${header.toString('hex')}`);
      reader.expectProtocolHeader();
    },
    onFrame: (type, channel, body, tail) => {
      const size = body.length + tail.reduce((n, piece) => n + piece.length, 0);
      if (size > input.maxFrameSize) throw new Error(`a frame body of ${size} bytes passed max-frame-size ${input.maxFrameSize}`);
      units.push(`F${type}/${channel}:${Buffer.concat([body, ...tail]).toString('hex')}`);
      // After the first frame, a header is expected again now and then (SASL then AMQP).
      if (units.length % 3 === 0) reader.expectProtocolHeader();
    },
  });
  reader.maxFrameSize = input.maxFrameSize;
  const end = documentedOnly(AmqpDecodeError, () => {
    if (!chunked) return reader.push(input.bytes);
    for (let at = 0, i = 0; at < input.bytes.length; i++) {
      const size = input.cuts[i % input.cuts.length]!;
      reader.push(input.bytes.subarray(at, at + size));
      at += size;
    }
  });
  return `${units.join(' ')} ${end === undefined ? 'ok' : 'refused'}`;
}

export const frameReaderTarget: FuzzTarget<Input> = {
  name: 'frame-reader',
  about: 'FrameReader.push: only AmqpDecodeError; whole and chunked reads agree; nothing past max-frame-size is held',
  input: fc.record({
    bytes: mutatedBytes(streamSeeds()),
    cuts: fc.array(fc.integer({ min: 1, max: 2048 }), { minLength: 1, maxLength: 8 }),
    maxFrameSize: fc.constantFrom(512, 16_384, 65_536, 0xffffffff),
  }),
  run(input) {
    const whole = read(input, false);
    const chunked = read(input, true);
    // A refusal may come at a different unit (the chunked read stops where its chunk did), so only
    // the units before it are compared when either read was refused.
    const [a, b] = [whole, chunked].map((s) => s.replace(/ (ok|refused)$/, ''));
    if (whole.endsWith('ok') && chunked.endsWith('ok') && a !== b) throw new Error('whole and chunked reads differ');
    if (!a!.startsWith(b!) && !b!.startsWith(a!)) throw new Error('whole and chunked reads disagree on a unit');
  },
};
