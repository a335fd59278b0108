/**
 * Message sections and router annotations (decodeMessage): recorded transfer payloads and
 * generated messages, mutated, read whole and as stream heads. Only AmqpDecodeError; a decoded
 * message re-encodes to one that decodes the same; a generated message round-trips.
 */
import fc from 'fast-check';
import { Encoder } from '../../../router/src/amqp/codec/encoder.js';
import { decodeMessage, encodeMessage, type DecodedMessage, type Message } from '../../../router/src/amqp/codec/message.js';
import { AmqpMap, AmqpSymbol, type AmqpValue } from '../../../router/src/amqp/codec/values.js';
import { AmqpDecodeError } from '../../../router/src/errors.js';
import { amqpValue, canonical } from '../amqp-values.js';
import { documentedOnly, type FuzzTarget } from '../harness.js';
import { mutatedBytes } from '../mutate.js';
import { messageSeeds } from '../seeds.js';

const encoder = new Encoder();

function encode(message: Message): Buffer {
  encoder.reset();
  encodeMessage(encoder, message);
  return Buffer.from(encoder.view());
}

const address = fc.oneof(fc.constantFrom('_topo/0/A/temp.x', 'svc:8080', '$management', ''), fc.string({ maxLength: 20 }));
const annotations = fc.array(fc.tuple(fc.string({ maxLength: 10 }).map((k) => new AmqpSymbol(k)), amqpValue), { maxLength: 3 }).map((e) => new AmqpMap(e));
const uint = fc.integer({ min: 0, max: 0xffffffff });

/** Messages as the router builds and forwards them. */
const message: fc.Arbitrary<Message> = fc.record(
  {
    routerAnnotations: fc.record({
      flags: fc.integer({ min: 0, max: 7 }),
      toOverride: fc.option(address),
      ingressRouter: fc.option(fc.string({ maxLength: 12 })),
      trace: fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
      ingressMesh: fc.option(fc.string({ maxLength: 12 })),
    }),
    header: fc.record({ durable: fc.boolean(), priority: fc.integer({ min: 0, max: 255 }), ttl: uint, firstAcquirer: fc.boolean(), deliveryCount: uint }, { requiredKeys: [] }),
    deliveryAnnotations: annotations,
    messageAnnotations: annotations,
    properties: fc.record(
      { messageId: amqpValue, to: address, subject: fc.string({ maxLength: 10 }), replyTo: address, correlationId: amqpValue, contentType: fc.string({ maxLength: 10 }), groupSequence: uint },
      { requiredKeys: [] },
    ),
    applicationProperties: fc.array(fc.tuple(fc.string({ maxLength: 10 }), amqpValue), { maxLength: 3 }).map((e) => new AmqpMap(e)),
    body: fc.oneof(amqpValue, fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a))),
    footer: annotations,
  },
  { requiredKeys: [] },
);

/** A decoded message as comparable text (its offset left out). */
function text(message: Message): string {
  const { payloadOffset: _offset, ...rest } = message as DecodedMessage;
  return JSON.stringify(rest, (_key, value: unknown) => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean' || Array.isArray(value)) return value;
    if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) return value;
    return canonical(value as AmqpValue);
  });
}

/** The form a generated message takes once decoded (header and properties fields drop types). */
function normalized(message: Message): Message {
  return decodeMessage(encode(message), { keepTypes: false });
}

type Input = { kind: 'bytes'; bytes: Buffer; streaming: boolean } | { kind: 'message'; message: Message };

export const messagesTarget: FuzzTarget<Input> = {
  name: 'messages',
  about: 'decodeMessage (sections, router annotations, stream heads): only AmqpDecodeError; decoded messages re-encode to the same',
  input: fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: mutatedBytes([...messageSeeds(), ...fc.sample(message, { seed: 13, numRuns: 40 }).map(encode)]), streaming: fc.boolean() }) },
    { weight: 1, arbitrary: message.map((m) => ({ kind: 'message' as const, message: m })) },
  ),
  run(input) {
    if (input.kind === 'message') {
      const once = normalized(input.message);
      if (text(normalized(once)) !== text(once)) throw new Error('a generated message does not survive encode and decode');
      if (input.message.routerAnnotations !== undefined && text({ ...(once.routerAnnotations === undefined ? {} : { routerAnnotations: once.routerAnnotations }) }) !== text({ routerAnnotations: input.message.routerAnnotations })) {
        throw new Error('router annotations changed in a round trip');
      }
      return;
    }
    const decoded = documentedOnly(AmqpDecodeError, () => decodeMessage(input.bytes, { streaming: input.streaming }));
    if (decoded === undefined) return;
    if (decoded.payloadOffset > input.bytes.length) throw new Error(`payloadOffset ${decoded.payloadOffset} is past the end`);
    let again: Buffer;
    try {
      again = encode(decoded);
    } catch (error) {
      throw new Error(`re-encoding a decoded message threw ${String(error)}`, { cause: error });
    }
    if (text(decodeMessage(again)) !== text(decodeMessage(encode(decodeMessage(again))))) throw new Error('a decoded message does not survive re-encoding');
  },
};
