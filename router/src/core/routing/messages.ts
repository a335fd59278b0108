/**
 * The routing protocol's messages (§c.2) exactly as skupper-router composes them: HELLO, RA,
 * LSR, LSU from its Python engine (string keys, int values), MAU and MAR from its C mobile-sync
 * module (symbol keys, long values). Each travels as header {durable: false}, properties {to},
 * application-properties {opcode} and an amqp-value map body.
 */
import { Encoder } from '../../amqp/codec/encoder.js';
import { decodeMessage, encodeMessage } from '../../amqp/codec/message.js';
import { AmqpMap, numberOf, sym, textOf, Typed, type AmqpValue } from '../../amqp/codec/values.js';
import { RoutingMessageError } from '../../errors.js';

export const PROTOCOL_VERSION = 1;
export const MOBILE_PROTOCOL_VERSION = 2;
export const AREA = '0';

/**
 * An address in MAU lists: its name and treatment code, and for addresses whose only consumers
 * sit on an edge mesh, that mesh's id. On the wire a mobile address `x` is hashed `Mx`; an edge
 * router `E` attached to the announcing interior is `HE`, which Skiff keeps as `_edge/E`.
 */
export interface MobileEntry {
  address: string;
  treatment: number;
  meshId?: string;
}

const EDGE_PREFIX = '_edge/';

function hashOf(address: string): string {
  return address.startsWith(EDGE_PREFIX) ? `H${address.slice(EDGE_PREFIX.length)}` : `M${address}`;
}

function addressOfHash(hash: string): string {
  return hash.startsWith('H') ? `${EDGE_PREFIX}${hash.slice(1)}` : hash.slice(1);
}

export type RoutingMessage =
  | { op: 'HELLO'; id: string; instance: number; seen: string[] }
  | { op: 'RA'; id: string; instance: number; lsSeq: number; mobileSeq: number }
  | { op: 'LSR'; id: string }
  | { op: 'LSU'; id: string; instance: number; lsSeq: number; peers: Map<string, number> }
  | { op: 'MAU'; id: string; mobileSeq: number; add?: MobileEntry[]; del?: string[]; exist?: MobileEntry[] }
  | { op: 'MAR'; id: string; haveSeq: number };

export const Addresses = {
  hello: 'amqp:/_local/qdhello',
  raFlood: 'amqp:/_topo/0/all/qdrouter',
  /** skupper-router's C module writes this one without the scheme. */
  mauFlood: '_topo/0/all/qdrouter.ma',
  router: (id: string): string => `amqp:/_topo/0/${id}/qdrouter`,
  mobile: (id: string): string => `amqp:/_topo/0/${id}/qdrouter.ma`,
} as const;

const int = (n: number): Typed => new Typed('int', n);
const long = (n: number): Typed => new Typed('long', n);

function mobileList(entries: readonly MobileEntry[]): AmqpValue[] {
  return entries.map((e) => {
    const entry: AmqpValue[] = [hashOf(e.address), int(e.treatment), int(0)];
    if (e.meshId !== undefined) entry.push(null, e.meshId);
    return entry;
  });
}

function body(msg: RoutingMessage): AmqpMap {
  const head = { id: msg.id, pv: int(PROTOCOL_VERSION), area: AREA };
  switch (msg.op) {
    case 'HELLO':
      return AmqpMap.withStringKeys({ ...head, instance: int(msg.instance), seen: msg.seen });
    case 'RA':
      return AmqpMap.withStringKeys({ ...head, instance: int(msg.instance), ls_seq: int(msg.lsSeq), mobile_seq: int(msg.mobileSeq) });
    case 'LSR':
      return AmqpMap.withStringKeys(head);
    case 'LSU': {
      const peers = AmqpMap.withStringKeys(Object.fromEntries([...msg.peers].map(([id, cost]) => [id, int(cost)])));
      const ls = AmqpMap.withStringKeys({ id: msg.id, area: AREA, ls_seq: int(msg.lsSeq), peers });
      return AmqpMap.withStringKeys({ ...head, instance: int(msg.instance), ls_seq: int(msg.lsSeq), ls });
    }
    case 'MAU': {
      const m = AmqpMap.withSymbolKeys({ id: msg.id, pv: long(MOBILE_PROTOCOL_VERSION), area: AREA, mobile_seq: long(msg.mobileSeq) });
      if (msg.exist !== undefined) m.set(sym('exist'), mobileList(msg.exist));
      else {
        m.set(sym('add'), mobileList(msg.add ?? []));
        m.set(sym('del'), (msg.del ?? []).map((a) => [hashOf(a)]));
      }
      return m;
    }
    case 'MAR':
      return AmqpMap.withSymbolKeys({ id: msg.id, pv: long(MOBILE_PROTOCOL_VERSION), area: AREA, have_seq: long(msg.haveSeq) });
  }
}

const encoder = new Encoder(1024);

/** The whole message (no router annotations: the forwarder adds them). */
export function encodeRoutingMessage(msg: RoutingMessage, to: string): Buffer {
  const mobile = msg.op === 'MAU' || msg.op === 'MAR';
  const applicationProperties = mobile ? AmqpMap.withSymbolKeys({ opcode: msg.op }) : AmqpMap.withStringKeys({ opcode: msg.op });
  encoder.reset();
  encodeMessage(encoder, { header: { durable: false }, properties: { to }, applicationProperties, body: body(msg) });
  return Buffer.from(encoder.view());
}

function text(map: AmqpMap, key: string): string {
  const v = textOf(map.get(key));
  if (v === undefined) throw new RoutingMessageError(`field ${key} is missing or not a string`);
  return v;
}

function num(map: AmqpMap, key: string): number {
  const v = numberOf(map.get(key));
  if (v === undefined) throw new RoutingMessageError(`field ${key} is missing or not a number`);
  return v;
}

function entries(value: AmqpValue | undefined, key: string): MobileEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RoutingMessageError(`field ${key} is not a list`);
  return value.map((item) => {
    if (!Array.isArray(item)) throw new RoutingMessageError(`an entry of ${key} is not a list`);
    const hash = textOf(item[0]);
    if (hash === undefined || hash.length < 2) throw new RoutingMessageError(`an entry of ${key} has no address`);
    const entry: MobileEntry = { address: addressOfHash(hash), treatment: numberOf(item[1]) ?? 3 };
    const meshId = textOf(item[4]);
    if (meshId !== undefined) entry.meshId = meshId;
    return entry;
  });
}

/**
 * Decodes a routing message from its sections (after any router annotations). Returns undefined
 * for a newer protocol version (ignored, as skupper-router ignores it); throws when malformed.
 */
export function decodeRoutingMessage(bytes: Buffer): RoutingMessage | undefined {
  const msg = decodeMessage(bytes);
  const op = textOf(msg.applicationProperties?.get('opcode'));
  const b = msg.body;
  if (!(b instanceof AmqpMap)) throw new RoutingMessageError(`${op ?? 'routing message'} body is not a map`);
  const id = text(b, 'id');
  const pv = num(b, 'pv');
  switch (op) {
    case 'HELLO': {
      if (pv > PROTOCOL_VERSION) return undefined;
      const seen = b.get('seen');
      return { op, id, instance: num(b, 'instance'), seen: Array.isArray(seen) ? seen.map((s) => textOf(s) ?? '') : [] };
    }
    case 'RA':
      if (pv > PROTOCOL_VERSION) return undefined;
      return { op, id, instance: num(b, 'instance'), lsSeq: num(b, 'ls_seq'), mobileSeq: num(b, 'mobile_seq') };
    case 'LSR':
      return pv > PROTOCOL_VERSION ? undefined : { op, id };
    case 'LSU': {
      if (pv > PROTOCOL_VERSION) return undefined;
      const ls = b.get('ls');
      if (!(ls instanceof AmqpMap)) throw new RoutingMessageError('LSU without a link-state map');
      const peersMap = ls.get('peers');
      if (!(peersMap instanceof AmqpMap)) throw new RoutingMessageError('LSU link state without peers');
      const peers = new Map<string, number>();
      for (const [k, v] of peersMap.entries) peers.set(textOf(k) ?? '', numberOf(v) ?? 1);
      return { op, id, instance: num(b, 'instance'), lsSeq: num(ls, 'ls_seq'), peers };
    }
    case 'MAU': {
      if (pv > MOBILE_PROTOCOL_VERSION) return undefined;
      const mobileSeq = num(b, 'mobile_seq');
      if (b.has('exist')) return { op, id, mobileSeq, exist: entries(b.get('exist'), 'exist') };
      return { op, id, mobileSeq, add: entries(b.get('add'), 'add'), del: entries(b.get('del'), 'del').map((e) => e.address) };
    }
    case 'MAR':
      return pv > MOBILE_PROTOCOL_VERSION ? undefined : { op, id, haveSeq: num(b, 'have_seq') };
    default:
      throw new RoutingMessageError(`unknown routing opcode ${String(op)}`);
  }
}
