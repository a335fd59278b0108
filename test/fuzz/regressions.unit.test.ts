/**
 * Inputs the fuzz targets found that broke a property, exactly as found, each with what was wrong.
 */
import { describe, expect, it } from 'vitest';
import { Decoder } from '../../router/src/amqp/codec/decoder.js';
import { Encoder } from '../../router/src/amqp/codec/encoder.js';
import { decodeMessage, encodeMessage } from '../../router/src/amqp/codec/message.js';
import { AmqpArray, AmqpMap, AmqpSymbol, Described, Typed } from '../../router/src/amqp/codec/values.js';
import { decodeFrameBody, encodeComposite } from '../../router/src/amqp/codec/composites.js';
import { buildRouterConfig } from '../../router/src/config/load.js';
import { TokenError } from '../../common/src/tokens/errors.js';
import { parseRedeemAnswer } from '../../common/src/tokens/redeem-answer.js';
import { AmqpDecodeError } from '../../router/src/errors.js';
import { ManagementAgent } from '../../router/src/mgmt/agent.js';
import { createRouterRegistry } from '../../router/src/mgmt/router-registry.js';
import { canonical } from './amqp-values.js';

function encoded(write: (enc: Encoder) => void): Buffer {
  const enc = new Encoder();
  write(enc);
  return Buffer.from(enc.view());
}

describe('fuzz regressions - type decoder', () => {
  it('type-decoder - an array of 50,000,000 zero-width elements in 10 bytes is refused before any is made', () => {
    // Took 17 s and 1.1 GB of heap; a count of 2^32 - 1 ran the router out of memory.
    const bytes = Buffer.from([0xf0, 0x00, 0x00, 0x00, 0x05, 0x02, 0xfa, 0xf0, 0x80, 0x43]);
    const started = performance.now();
    expect(() => new Decoder(bytes).read()).toThrow(AmqpDecodeError);
    expect(() => new Decoder(bytes).read()).toThrow('array claims 50000000 elements in 10 bytes');
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('type-decoder - arrays of zero-width elements an honest peer sends still decode', () => {
    const bytes = Buffer.from([0xe0, 0x04, 0x03, 0x41, 0x00, 0x00]);
    expect(() => new Decoder(bytes).read()).toThrow('array size does not match its contents');
    expect(new Decoder(Buffer.from([0xe0, 0x02, 0x02, 0x45])).read()).toEqual(new AmqpArray('list', [[], []]));
  });
});

describe('fuzz regressions - performatives', () => {
  it('performatives - a begin whose handle-max is a float is refused (was decoded as 7.6e-39 and re-encoded as 0)', () => {
    // The counterexample (seed 20261202): a begin list whose handle-max field is the float 0x72 00 53 11 c0.
    const body = Buffer.from(
      '005311c01405600002437000002000707fff643672005311c01405600002437000002000707fff64367262536e505255'
        + '31434250025000005328c0270b4043a30b73657373696f6e2d656e6443424040404040a30e71642e726f757465722d64'
        + '617461005329c023074043a30b73657373696f6e2d656e64434240a30e71642e726f757465722d6461746140404344',
      'hex',
    );
    expect(() => decodeFrameBody(body)).toThrow(AmqpDecodeError);
    expect(() => decodeFrameBody(body)).toThrow('begin.handleMax: expected uint');
    // The rerun's counterexample: the same begin with handle-max the float 5.9e20, past a uint (was a RangeError re-encoding it).
    const oversized = Buffer.from(
      '005311c01405600002437000002000707fff64367262005311c01405600002437000002000707fff64367262536e5052'
        + '5531434250025000005328c0270b4043a30b73657373696f6e2d656e6443424040404040a30e71642e726f757465722d'
        + '64617461005329c023074043a30b73657373696f6e2d656e64434240a30e71642e726f757465722d6461746140404344',
      'hex',
    );
    expect(() => decodeFrameBody(oversized)).toThrow('begin.handleMax: expected uint');
    // Whole non-negative numbers of any width still decode: peers write small counts as smalluint or uint0.
    const begin = { remoteChannel: 2, nextOutgoingId: 0, incomingWindow: 8192, outgoingWindow: 2147443766, handleMax: 7 };
    expect(decodeFrameBody(encoded((enc) => encodeComposite(enc, 'begin', begin))).performative).toEqual({ $type: 'begin', ...begin });
  });
});

describe('fuzz regressions - performatives, symbols', () => {
  it('performatives - a sasl-mechanisms whose mechanism is not ASCII is refused (decoded as U+FFFD, re-encoded as the symbol byte 0xfd)', () => {
    // The counterexample (seed 20261202, input 554104): a str8 "\x80NONYMOUS" where a symbol belongs.
    const body = Buffer.from([0, 83, 64, 192, 12, 1, 161, 9, 128, 78, 79, 78, 89, 77, 79, 85, 83]);
    expect(() => decodeFrameBody(body)).toThrow('sasl-mechanisms.saslServerMechanisms: expected symbols');
    body[8] = 0x41;
    expect(decodeFrameBody(body).performative).toEqual({ $type: 'sasl-mechanisms', saslServerMechanisms: ['ANONYMOUS'] });
  });
});

describe('fuzz regressions - performatives, composite fields', () => {
  it('performatives - an end whose error is a bare symbol, not an error composite, is refused (came back as an error of no condition)', () => {
    // The counterexample (seed 20261202, input 633665).
    const body = Buffer.from([0, 83, 23, 192, 25, 2, 163, 19, ...Buffer.from('amqp:internal-error'), 161, 1, 0]);
    expect(() => decodeFrameBody(body)).toThrow('end.error: expected composite');
  });
});

describe('fuzz regressions - tokens', () => {
  it('tokens - a redeem answer holding an alias without its anchor is a TokenError (was a ReferenceError from the YAML library)', () => {
    // The counterexample (seed 20261202, input 14937).
    expect(() => parseRedeemAnswer('*a', 'https://fuzz/grant')).toThrow(TokenError);
    expect(() => parseRedeemAnswer('*a', 'https://fuzz/grant')).toThrow(/not YAML \(Unresolved alias/);
  });
});

describe('fuzz regressions - messages', () => {
  it('messages - a ulong past 2^63 decodes to a bigint that re-encodes as a ulong (was a RangeError)', () => {
    // The messages target's counterexample: delivery annotations holding a described value whose
    // descriptor is the ulong 2^63.
    const message = {
      deliveryAnnotations: new AmqpMap([[new AmqpSymbol(''), new AmqpMap([[new Typed('byte', 0), new Described(new Typed('ulong', 2n ** 63n), new AmqpSymbol(''))]])]]),
    };
    const decoded = decodeMessage(encoded((enc) => encodeMessage(enc, message)));
    const again = decodeMessage(encoded((enc) => encodeMessage(enc, decoded)));
    expect(canonical(again.deliveryAnnotations!)).toEqual(canonical(decoded.deliveryAnnotations!));
  });

  it('messages - a double -0 keeps its sign through decode and encode (went back out as the long 0)', () => {
    // The counterexample (seed 20261202, input 3529): a message-id described map keyed by the double -0.
    const message = { properties: { messageId: new Described(null, new AmqpMap([[new Typed('double', -0), new Typed('decimal32', Buffer.alloc(4))]])) } };
    const once = decodeMessage(encoded((enc) => encodeMessage(enc, message)), { keepTypes: false });
    const twice = decodeMessage(encoded((enc) => encodeMessage(enc, once)), { keepTypes: false });
    expect(canonical(twice.properties!.messageId!)).toEqual(canonical(once.properties!.messageId!));
    expect(Object.is(new Decoder(encoded((enc) => enc.write(-0))).read(), -0)).toBe(true);
  });

  it('messages - an array of lists, of maps, of decimals and a described array re-encode (were AmqpEncodeError)', () => {
    for (const hex of ['e0020245', 'e0 0b 02 d0 00000004 00000001 40 d1'.replace(/ /g, ''), 'e00a0274000000000000000000', 'e00601005303414141'.slice(0, 16)]) {
      let value;
      try {
        value = new Decoder(Buffer.from(hex, 'hex'), 0, { keepTypes: true }).read();
      } catch (error) {
        if (error instanceof AmqpDecodeError) continue;
        throw error;
      }
      const back = new Decoder(encoded((enc) => enc.write(value)), 0, { keepTypes: true }).read();
      expect(canonical(back)).toEqual(canonical(value));
    }
  });
});

describe('fuzz regressions - management', () => {
  const config = buildRouterConfig([['router', { id: 'A', mode: 'interior' }]], 'A.json');
  const agent = new ManagementAgent(createRouterRegistry(config).registry, { routerId: 'A', knownRouters: () => ['A'] });

  it.each([
    ['a described ulong 2^63 (was a RangeError)', new Described(new Typed('ulong', 0n), new Described(new Typed('ulong', 2n ** 63n), new Typed('ushort', 0)))],
    ['an array of two empty lists (was AmqpEncodeError)', new AmqpArray('list', [[], []])],
    ['a map keyed by an array of timestamps (was AmqpEncodeError: decoded Dates in an array)', new AmqpMap([[new AmqpArray('timestamp', [new Typed('timestamp', 0)]), new Typed('double', 0)]])],
    ['a timestamp past Date\'s range (was a RangeError: an invalid Date has no time)', new Typed('timestamp', 2n ** 62n)],
    ['a map holding the double 2^63 (was a RangeError: whole numbers went out as longs)', new Described(null, [new AmqpMap([[new Typed('double', 0), new Typed('double', 9223372036854776000)]])])],
  ])('management - a request whose correlation-id is %s gets an answer that encodes', async (_what, correlationId) => {
    // The daemon decodes the request off the wire, so the agent sees the decoded form.
    const wire = encoded((enc) => encodeMessage(enc, { properties: { replyTo: 'amqp:/_topo/0/A/temp.r', correlationId }, applicationProperties: AmqpMap.withStringKeys({ operation: 'GET-MGMT-NODES' }) }));
    const answer = await agent.handle(decodeMessage(wire));
    expect(answer).toBeDefined();
    const back = decodeMessage(encoded((enc) => encodeMessage(enc, answer!)));
    expect(canonical(back.properties!.correlationId!)).toEqual(canonical(decodeMessage(wire).properties!.correlationId!));
  });
});
