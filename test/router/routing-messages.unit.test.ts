/**
 * Golden test of the routing protocol's control messages: every recorded HELLO, RA, LSR, LSU, MAU
 * and MAR is parsed by Skiff's typed decoder, rebuilt by buildControlMessage from those fields,
 * encoded, decoded again with AMQP types kept, and compared with the recording section by section.
 */
import { describe, expect, it } from 'vitest';
import { decodeFrameBody } from '../../router/src/amqp/codec/composites.js';
import { decodeMessage, type DecodedMessage } from '../../router/src/amqp/codec/message.js';
import { AmqpMap, AmqpSymbol, Typed, type AmqpValue } from '../../router/src/amqp/codec/values.js';
import { RoutingMessageError } from '../../router/src/errors.js';
import { buildControlMessage, encodeControlMessage, parseControlMessage, type ControlBody } from '../../router/src/routing/messages.js';
import { shapeOf } from '../support/typed-shape.js';
import { loadWireFile } from '../support/wire-fixtures.js';

const FILES = ['inter-router/control.jsonl', 'line-A-B-C/A-B-control.jsonl', 'line-A-B-C/B-C-control.jsonl', 'edge/uplink.jsonl'];

/** Every recorded control message (first frame of each transfer) decoded with types kept. */
function recordedControlMessages(): DecodedMessage[] {
  const out: DecodedMessage[] = [];
  const open = new Set<string>();
  for (const file of FILES) {
    for (const r of loadWireFile(file)) {
      if (r.performative !== 'transfer') continue;
      const bytes = Buffer.from(r.hex, 'hex');
      const { performative, payload } = decodeFrameBody(bytes.subarray(bytes[4]! * 4));
      const key = `${file}/${r.dir}/${r.channel ?? 0}/${String(performative.handle ?? 0)}`;
      const first = !open.has(key);
      if (performative.more === true) open.add(key);
      else open.delete(key);
      if (!first || payload.length === 0) continue;
      const msg = decodeMessage(payload, { keepTypes: true, streaming: true });
      if (msg.applicationProperties?.has('opcode') === true) out.push(msg);
    }
  }
  return out;
}

const recorded = recordedControlMessages();

function sectionsOf(msg: DecodedMessage): unknown {
  return {
    header: msg.header,
    to: msg.properties?.to,
    applicationProperties: shapeOf(msg.applicationProperties ?? null),
    body: shapeOf(msg.body ?? null),
  };
}

describe('routing messages - golden: rebuilt from parsed fields, the same as skupper-router sent', () => {
  for (const opcode of ['HELLO', 'RA', 'LSR', 'LSU', 'MAU', 'MAR']) {
    it(`${opcode}: every recorded one`, () => {
      const mine = recorded.filter((m) => String(m.applicationProperties?.get('opcode')) === opcode);
      expect(mine.length).toBeGreaterThan(0);
      for (const msg of mine) {
        const body = parseControlMessage(msg);
        expect(body?.opcode).toBe(opcode);
        const rebuilt = decodeMessage(encodeControlMessage(body!, msg.properties!.to!), { keepTypes: true });
        expect(sectionsOf(rebuilt)).toEqual(sectionsOf(msg));
      }
    });
  }

  it('the recording covers both MAU forms and a non-empty del list', () => {
    const maus = recorded.map((m) => parseControlMessage(m)).filter((b): b is Extract<ControlBody, { opcode: 'MAU' }> => b?.opcode === 'MAU');
    expect(maus.some((m) => 'exist' in m)).toBe(true);
    expect(maus.some((m) => 'del' in m && m.del.includes('Mgolden/anycast'))).toBe(true);
    expect(maus.some((m) => 'add' in m && m.add.some((e) => e.key === 'Mgolden/multicast' && e.treatment === 1))).toBe(true);
  });

  it('addresses: flooded RA with the scheme, flooded MAU without, as recorded', () => {
    const to = (op: string): Set<string> =>
      new Set(recorded.filter((m) => String(m.applicationProperties?.get('opcode')) === op).map((m) => m.properties!.to!));
    expect(to('HELLO')).toEqual(new Set(['amqp:/_local/qdhello']));
    expect(to('RA')).toEqual(new Set(['amqp:/_topo/0/all/qdrouter']));
    expect(to('MAU').has('_topo/0/all/qdrouter.ma')).toBe(true);
    expect([...to('MAR')].every((t) => /^amqp:\/_topo\/0\/[^/]+\/qdrouter\.ma$/.test(t))).toBe(true);
  });
});

function withBody(opcode: string, body: AmqpValue, symbolKey = false): DecodedMessage {
  const key = symbolKey ? new AmqpSymbol('opcode') : 'opcode';
  return { payloadOffset: 0, applicationProperties: new AmqpMap([[key, opcode]]), body };
}

const good = (extra: Record<string, AmqpValue>): AmqpMap =>
  AmqpMap.withStringKeys({ id: 'X', pv: new Typed('int', 1), area: '0', instance: new Typed('int', 7), ...extra });

describe('routing messages - malformed bodies are rejected with RoutingMessageError', () => {
  const cases: Array<[string, DecodedMessage]> = [
    ['body not a map', withBody('HELLO', 'hello')],
    ['unknown opcode', withBody('GOODBYE', good({}))],
    ['no opcode', { payloadOffset: 0, body: good({}) }],
    ['id missing', withBody('LSR', AmqpMap.withStringKeys({ pv: 1, area: '0' }))],
    ['id not a string', withBody('LSR', AmqpMap.withStringKeys({ id: 5, pv: 1 }))],
    ['instance a string', withBody('HELLO', good({ instance: 'seven', seen: [] }))],
    ['seen not a list', withBody('HELLO', good({ seen: 'A' }))],
    ['seen holding a number', withBody('HELLO', good({ seen: ['A', 3] }))],
    ['RA without mobile_seq', withBody('RA', good({ ls_seq: 1 }))],
    ['LSU without ls', withBody('LSU', good({ ls_seq: 1 }))],
    ['LSU peer cost a string', withBody('LSU', good({ ls_seq: 1, ls: AmqpMap.withStringKeys({ ls_seq: 1, peers: AmqpMap.withStringKeys({ A: 'x' }) }) }))],
    ['MAU add not a list', withBody('MAU', good({ mobile_seq: 1, add: 'Mx', del: [] }), true)],
    ['MAU entry without treatment', withBody('MAU', good({ mobile_seq: 1, add: [['Mx']], del: [] }), true)],
    ['MAU del entry empty', withBody('MAU', good({ mobile_seq: 1, add: [], del: [[]] }), true)],
    ['MAR have_seq fractional', withBody('MAR', good({ have_seq: 1.5 }), true)],
  ];
  for (const [name, msg] of cases) {
    it(name, () => {
      expect(() => parseControlMessage(msg)).toThrow(RoutingMessageError);
    });
  }

  it('a newer protocol version is ignored, not an error', () => {
    expect(parseControlMessage(withBody('HELLO', good({ pv: new Typed('int', 2), seen: [] })))).toBeUndefined();
    expect(parseControlMessage(withBody('MAR', good({ pv: 3, have_seq: 0 }), true))).toBeUndefined();
    expect(parseControlMessage(withBody('MAR', good({ pv: 2, have_seq: 0 }), true))).toEqual({ opcode: 'MAR', id: 'X', haveSeq: 0 });
  });

  it('buildControlMessage: MAU and MAR with a symbol opcode key, the others with a string key', () => {
    const keyOf = (body: ControlBody): AmqpValue => buildControlMessage(body, 'x').applicationProperties!.entries[0]![0];
    expect(keyOf({ opcode: 'MAR', id: 'A', haveSeq: 0 })).toBeInstanceOf(AmqpSymbol);
    expect(keyOf({ opcode: 'LSR', id: 'A' })).toBe('opcode');
  });
});
