/**
 * Address entries of MAU lists (§c.2) and the hash keys they carry. skupper-router's mobile-sync
 * module writes each address as [hash key, treatment, local in-link count] and, when its only
 * consumers sit on one edge mesh, adds [null, mesh id]. The key is the address's hash form: a
 * mobile address `x` is `Mx`; an edge summary for edge router `E` is `HE`.
 */
import { numberOf, textOf, Typed, type AmqpValue } from '../amqp/codec/values.js';
import { RoutingMessageError } from '../errors.js';

export interface MobileEntry {
  /** Hash key as on the wire, e.g. `Mgolden/anycast`. */
  key: string;
  /** 0 flood, 1 multicast-once, 2 closest, 3 balanced, 4 unavailable. */
  treatment: number;
  /** The announcer's local in-link count; skupper-router sends 0. */
  inLinks: number;
  /** The edge mesh that is the address's sole destination, when there is one. */
  meshId?: string;
}

export const Treatment = { flood: 0, multicastOnce: 1, closest: 2, balanced: 3, unavailable: 4 } as const;

const MOBILE_PREFIX = 'M';
const EDGE_PREFIX = 'H';
/** Skiff's name for the edge summary address of edge router `E`. */
const EDGE_ADDRESS_PREFIX = '_edge/';

/** The MAU hash key of an address announced by this router. */
export function hashKeyOf(address: string): string {
  return address.startsWith(EDGE_ADDRESS_PREFIX)
    ? `${EDGE_PREFIX}${address.slice(EDGE_ADDRESS_PREFIX.length)}`
    : `${MOBILE_PREFIX}${address}`;
}

/** The address a MAU hash key stands for; undefined for key classes we do not route on. */
export function addressOfHashKey(key: string): string | undefined {
  if (key.startsWith(MOBILE_PREFIX)) return key.slice(1);
  if (key.startsWith(EDGE_PREFIX)) return `${EDGE_ADDRESS_PREFIX}${key.slice(1)}`;
  return undefined;
}

export function writeMobileList(entries: readonly MobileEntry[]): AmqpValue[] {
  return entries.map((e) => {
    const item: AmqpValue[] = [e.key, new Typed('int', e.treatment), new Typed('int', e.inLinks)];
    if (e.meshId !== undefined) item.push(null, e.meshId);
    return item;
  });
}

function readEntry(item: AmqpValue, field: string): MobileEntry {
  if (!Array.isArray(item)) throw new RoutingMessageError(`MAU ${field} entry is not a list`);
  const key = textOf(item[0]);
  const treatment = numberOf(item[1]);
  const inLinks = numberOf(item[2]);
  if (key === undefined || key.length < 2) throw new RoutingMessageError(`MAU ${field} entry has no address key`);
  if (treatment === undefined || !Number.isInteger(treatment) || treatment < 0 || treatment > Treatment.unavailable) {
    throw new RoutingMessageError(`MAU ${field} entry ${key} has no valid treatment`);
  }
  const entry: MobileEntry = { key, treatment, inLinks: inLinks ?? 0 };
  const meshId = textOf(item[4]);
  if (meshId !== undefined) entry.meshId = meshId;
  return entry;
}

export function readMobileList(value: AmqpValue | undefined, field: string): MobileEntry[] {
  if (!Array.isArray(value)) throw new RoutingMessageError(`MAU field ${field} is not a list`);
  return value.map((item) => readEntry(item, field));
}
