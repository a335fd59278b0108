/**
 * Performative and SASL frame bodies (decodeFrameBody): recorded bodies and every composite the
 * encoder writes, mutated. Only AmqpDecodeError; a decoded performative re-encodes and decodes to
 * the same fields.
 */
import { Composites, decodeFrameBody, encodeComposite, type CompositeName, type CompositeValue } from '../../../router/src/amqp/codec/composites.js';
import { Encoder } from '../../../router/src/amqp/codec/encoder.js';
import { AmqpMap, sym, type AmqpValue } from '../../../router/src/amqp/codec/values.js';
import { AmqpDecodeError } from '../../../router/src/errors.js';
import { canonical } from '../amqp-values.js';
import { documentedOnly, type FuzzTarget } from '../harness.js';
import { mutatedBytes } from '../mutate.js';
import { bodySeeds } from '../seeds.js';

const encoder = new Encoder();

function encodePerformative(name: CompositeName, fields: Readonly<Record<string, unknown>>): Buffer {
  encoder.reset();
  encodeComposite(encoder, name, fields);
  return Buffer.from(encoder.view());
}

/** Every composite with each of its fields set, so that every field's decoding is reached. */
function compositeSeeds(): Buffer[] {
  const sample: Record<string, unknown> = {
    string: 'x', symbol: 'amqp:not-found', symbols: ['a', 'b'], boolean: true, ubyte: 1, ushort: 2, uint: 300, ulong: 2 ** 40,
    binary: Buffer.from('tag'), map: AmqpMap.withSymbolKeys({ k: 'v' }), composite: { $type: 'accepted' }, any: sym('id'),
  };
  return (Object.keys(Composites) as CompositeName[]).map((name) =>
    encodePerformative(name, Object.fromEntries(Composites[name].fields.map(([key, type]) => [key, key === 'error' ? { condition: 'amqp:internal-error', description: 'd' } : sample[type]]))),
  );
}

/** A performative as comparable text: AMQP values in canonical form. */
function text(p: CompositeValue): string {
  return JSON.stringify(p, (_key, value: unknown) => {
    const plain = typeof value === 'object' && value !== null && (Array.isArray(value) || [Object.prototype, null].includes(Object.getPrototypeOf(value)));
    if (typeof value === 'bigint' || (typeof value === 'object' && value !== null && !plain)) return canonical(value as AmqpValue);
    return value;
  });
}

const nameOf = new Map(Object.entries(Composites).map(([key, spec]) => [spec.name, key as CompositeName]));

export const performativesTarget: FuzzTarget<Buffer> = {
  name: 'performatives',
  about: 'decodeFrameBody (performatives and SASL frames): only AmqpDecodeError; decoded fields re-encode to the same',
  input: mutatedBytes([...compositeSeeds(), ...bodySeeds()]),
  run(body) {
    const decoded = documentedOnly(AmqpDecodeError, () => decodeFrameBody(body));
    if (decoded === undefined) return;
    const { $type, ...fields } = decoded.performative;
    let again: Buffer;
    try {
      again = encodePerformative(nameOf.get($type)!, fields);
    } catch (error) {
      throw new Error(`re-encoding a decoded ${$type} threw ${String(error)}`, { cause: error });
    }
    const back = decodeFrameBody(again).performative;
    if (text(back) !== text(decoded.performative)) throw new Error(`a decoded ${$type} does not survive re-encoding`);
  },
};
