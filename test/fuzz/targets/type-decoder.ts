/**
 * The type decoder: mutated frame bodies and encoded values. Only AmqpDecodeError; a value that
 * decodes re-encodes to one that decodes the same; any encodable value round-trips exactly.
 */
import fc from 'fast-check';
import { Decoder } from '../../../router/src/amqp/codec/decoder.js';
import { Encoder } from '../../../router/src/amqp/codec/encoder.js';
import type { AmqpValue } from '../../../router/src/amqp/codec/values.js';
import { AmqpDecodeError } from '../../../router/src/errors.js';
import { amqpValue, canonical } from '../amqp-values.js';
import { documentedOnly, type FuzzTarget } from '../harness.js';
import { mutatedBytes } from '../mutate.js';
import { bodySeeds } from '../seeds.js';

type Input = { kind: 'bytes'; bytes: Buffer } | { kind: 'value'; value: AmqpValue };

const encoder = new Encoder();

function encode(value: AmqpValue): Buffer {
  encoder.reset().write(value);
  return Buffer.from(encoder.view());
}

function decodeAll(bytes: Buffer): AmqpValue[] {
  const dec = new Decoder(bytes, 0, { keepTypes: true });
  const values: AmqpValue[] = [];
  while (dec.remaining > 0) values.push(dec.read());
  return values;
}

function same(a: AmqpValue, b: AmqpValue): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function seedValues(): Buffer[] {
  const values: AmqpValue[] = fc.sample(amqpValue, { seed: 13, numRuns: 60 });
  return [...bodySeeds(), ...values.map(encode)];
}

export const typeDecoderTarget: FuzzTarget<Input> = {
  name: 'type-decoder',
  about: 'Decoder.read: only AmqpDecodeError; every decoded value re-encodes, to itself; decode(encode(v)) = v',
  input: fc.oneof(
    { weight: 3, arbitrary: mutatedBytes(seedValues()).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
    { weight: 1, arbitrary: amqpValue.map((value) => ({ kind: 'value' as const, value })) },
  ),
  run(input) {
    if (input.kind === 'value') {
      const [back, ...extra] = decodeAll(encode(input.value));
      if (back === undefined || extra.length > 0 || !same(back, input.value)) throw new Error('decode(encode(v)) is not v');
      return;
    }
    const values = documentedOnly(AmqpDecodeError, () => decodeAll(input.bytes));
    for (const value of values ?? []) {
      const [back] = decodeAll(encode(value));
      if (back === undefined || !same(back, value)) throw new Error('a decoded value does not survive re-encoding');
    }
  },
};
