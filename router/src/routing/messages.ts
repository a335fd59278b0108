/**
 * The routing protocol's control messages (§c.2), typed, and built exactly as skupper-router
 * composes them so that a real skupper-router understands ours and we understand its:
 *
 *   HELLO, RA, LSR, LSU  Python engine: string keys, int numbers, pv 1
 *   MAU, MAR             C mobile-sync module: symbol keys (opcode too), long numbers, pv 2
 *
 * Every one travels as header {durable: false}, properties {to}, application-properties {opcode}
 * and an amqp-value map body. The golden test rebuilds every recorded one and compares types.
 */
import { encodeMessage, type Message } from '../amqp/codec/message.js';
import { Encoder } from '../amqp/codec/encoder.js';
import { AmqpMap, AmqpSymbol, numberOf, sym, textOf, Typed, type AmqpValue } from '../amqp/codec/values.js';
import { RoutingMessageError } from '../errors.js';
import { readMobileList, writeMobileList, type MobileEntry } from './mobile-entries.js';

export const PROTOCOL_VERSION = 1;
export const MOBILE_PROTOCOL_VERSION = 2;
export const AREA = '0';

export const Opcode = { hello: 'HELLO', ra: 'RA', lsr: 'LSR', lsu: 'LSU', mau: 'MAU', mar: 'MAR' } as const;
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

/** Where each message goes, spelled as the recording shows (the C module omits the scheme). */
export const ControlAddress = {
  hello: 'amqp:/_local/qdhello',
  allRouters: 'amqp:/_topo/0/all/qdrouter',
  allMobile: '_topo/0/all/qdrouter.ma',
  router: (id: string): string => `amqp:/_topo/0/${id}/qdrouter`,
  mobile: (id: string): string => `amqp:/_topo/0/${id}/qdrouter.ma`,
} as const;

export interface HelloBody { opcode: 'HELLO'; id: string; instance: number; seen: string[] }
export interface RaBody { opcode: 'RA'; id: string; instance: number; lsSeq: number; mobileSeq: number }
export interface LsrBody { opcode: 'LSR'; id: string }
export interface LsuBody { opcode: 'LSU'; id: string; instance: number; lsSeq: number; peers: ReadonlyMap<string, number> }
/** A differential MAU carries `add` and `del`; an absolute one (reply to MAR) carries `exist`. */
export type MauBody =
  | { opcode: 'MAU'; id: string; mobileSeq: number; add: MobileEntry[]; del: string[] }
  | { opcode: 'MAU'; id: string; mobileSeq: number; exist: MobileEntry[] };
export interface MarBody { opcode: 'MAR'; id: string; haveSeq: number }

export type ControlBody = HelloBody | RaBody | LsrBody | LsuBody | MauBody | MarBody;

const int = (n: number): Typed => new Typed('int', n);
const long = (n: number): Typed => new Typed('long', n);
const isMobile = (op: Opcode): boolean => op === Opcode.mau || op === Opcode.mar;

function encodeBody(body: ControlBody): AmqpMap {
  const head = { id: body.id, pv: int(PROTOCOL_VERSION), area: AREA };
  switch (body.opcode) {
    case 'HELLO':
      return AmqpMap.withStringKeys({ ...head, instance: int(body.instance), seen: [...body.seen] });
    case 'RA':
      return AmqpMap.withStringKeys({ ...head, instance: int(body.instance), ls_seq: int(body.lsSeq), mobile_seq: int(body.mobileSeq) });
    case 'LSR':
      return AmqpMap.withStringKeys(head);
    case 'LSU': {
      const peers = new AmqpMap([...body.peers].map(([id, cost]): [AmqpValue, AmqpValue] => [id, int(cost)]));
      const ls = AmqpMap.withStringKeys({ id: body.id, area: AREA, ls_seq: int(body.lsSeq), peers });
      return AmqpMap.withStringKeys({ ...head, instance: int(body.instance), ls_seq: int(body.lsSeq), ls });
    }
    case 'MAU': {
      const map = AmqpMap.withSymbolKeys({ id: body.id, pv: long(MOBILE_PROTOCOL_VERSION), area: AREA, mobile_seq: long(body.mobileSeq) });
      if ('exist' in body) return map.set(sym('exist'), writeMobileList(body.exist));
      return map.set(sym('add'), writeMobileList(body.add)).set(sym('del'), body.del.map((key) => [key]));
    }
    case 'MAR':
      return AmqpMap.withSymbolKeys({ id: body.id, pv: long(MOBILE_PROTOCOL_VERSION), area: AREA, have_seq: long(body.haveSeq) });
  }
}

/** The whole control message for `body` sent to `to` (router annotations are the forwarder's). */
export function buildControlMessage(body: ControlBody, to: string): Message {
  const opcode = isMobile(body.opcode) ? new AmqpSymbol('opcode') : 'opcode';
  return {
    header: { durable: false },
    properties: { to },
    applicationProperties: new AmqpMap([[opcode, body.opcode]]),
    body: encodeBody(body),
  };
}

const encoder = new Encoder(1024);

/** The control message's sections as bytes, for a transport that wants them encoded. */
export function encodeControlMessage(body: ControlBody, to: string): Buffer {
  encoder.reset();
  encodeMessage(encoder, buildControlMessage(body, to));
  return Buffer.from(encoder.view());
}

function text(map: AmqpMap, key: string): string {
  const value = textOf(map.get(key));
  if (value === undefined) throw new RoutingMessageError(`field ${key} is missing or not a string`);
  return value;
}

function integer(map: AmqpMap, key: string): number {
  const value = numberOf(map.get(key));
  if (value === undefined || !Number.isInteger(value)) throw new RoutingMessageError(`field ${key} is missing or not an integer`);
  return value;
}

function seenList(value: AmqpValue | undefined): string[] {
  if (!Array.isArray(value)) throw new RoutingMessageError('HELLO field seen is not a list');
  return value.map((item) => {
    const id = textOf(item);
    if (id === undefined) throw new RoutingMessageError('HELLO field seen holds a non-string');
    return id;
  });
}

function peersOf(body: AmqpMap): { lsSeq: number; peers: Map<string, number> } {
  const ls = body.get('ls');
  if (!(ls instanceof AmqpMap)) throw new RoutingMessageError('LSU field ls is not a map');
  const peersMap = ls.get('peers');
  if (!(peersMap instanceof AmqpMap)) throw new RoutingMessageError('LSU field ls.peers is not a map');
  const peers = new Map<string, number>();
  for (const [k, v] of peersMap.entries) {
    const id = textOf(k);
    const cost = numberOf(v);
    if (id === undefined || cost === undefined || !Number.isInteger(cost) || cost < 1) {
      throw new RoutingMessageError('LSU peer entry is not an id with a positive integer cost');
    }
    peers.set(id, cost);
  }
  return { lsSeq: integer(ls, 'ls_seq'), peers };
}

function delList(value: AmqpValue | undefined): string[] {
  if (!Array.isArray(value)) throw new RoutingMessageError('MAU field del is not a list');
  return value.map((item) => {
    const key = Array.isArray(item) ? textOf(item[0]) : undefined;
    if (key === undefined || key.length < 2) throw new RoutingMessageError('MAU del entry has no address key');
    return key;
  });
}

/**
 * The typed body of a decoded control message. Returns undefined for a newer protocol version,
 * which skupper-router ignores too; throws RoutingMessageError when anything is missing or
 * ill-typed (the caller logs and drops it).
 */
export function parseControlMessage(msg: Message): ControlBody | undefined {
  const opcode = textOf(msg.applicationProperties?.get('opcode'));
  const body = msg.body;
  if (!(body instanceof AmqpMap)) throw new RoutingMessageError(`${opcode ?? 'control message'} body is not a map`);
  const id = text(body, 'id');
  const pv = integer(body, 'pv');
  switch (opcode) {
    case 'HELLO':
      if (pv > PROTOCOL_VERSION) return undefined;
      return { opcode, id, instance: integer(body, 'instance'), seen: seenList(body.get('seen')) };
    case 'RA':
      if (pv > PROTOCOL_VERSION) return undefined;
      return { opcode, id, instance: integer(body, 'instance'), lsSeq: integer(body, 'ls_seq'), mobileSeq: integer(body, 'mobile_seq') };
    case 'LSR':
      return pv > PROTOCOL_VERSION ? undefined : { opcode, id };
    case 'LSU':
      if (pv > PROTOCOL_VERSION) return undefined;
      return { opcode, id, instance: integer(body, 'instance'), ...peersOf(body) };
    case 'MAU': {
      if (pv > MOBILE_PROTOCOL_VERSION) return undefined;
      const mobileSeq = integer(body, 'mobile_seq');
      if (body.has('exist')) return { opcode, id, mobileSeq, exist: readMobileList(body.get('exist'), 'exist') };
      return { opcode, id, mobileSeq, add: readMobileList(body.get('add'), 'add'), del: delList(body.get('del')) };
    }
    case 'MAR':
      return pv > MOBILE_PROTOCOL_VERSION ? undefined : { opcode, id, haveSeq: integer(body, 'have_seq') };
    default:
      throw new RoutingMessageError(`unknown routing opcode ${String(opcode)}`);
  }
}
