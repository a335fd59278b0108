/**
 * Conversion between management attribute values and AMQP values. Requests arrive as AMQP maps
 * (string or symbol keys, numbers of any width); answers must use the AMQP types skupper-router's
 * agents use (see IntegerWire), because the recorded answers are the reference and some clients
 * check types.
 */
import { AmqpArray, AmqpMap, AmqpSymbol, Described, Typed, keyName, type AmqpValue } from '../amqp/codec/values.js';
import type { AttributeValue } from '../config/coerce.js';
import type { AttributeSpec, IntegerWire } from '../config/schema-types.js';

/** An attribute value as a provider reports it: plain JSON-like data, or an AMQP value whose type is fixed. */
export type ManagedValue = AttributeValue | AmqpValue;

/** An entity's attributes as a provider reports them. */
export type ManagedAttributes = Readonly<Record<string, ManagedValue | undefined>>;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isAmqpClass(value: unknown): value is Typed | AmqpSymbol | AmqpMap | AmqpArray | Described {
  return value instanceof Typed || value instanceof AmqpSymbol || value instanceof AmqpMap || value instanceof AmqpArray || value instanceof Described;
}

/** A number in the AMQP type asked for; `int` widens to `long` past 32 bits as Python ints do. */
function numberAs(value: number | bigint, wire: IntegerWire | undefined): AmqpValue {
  if (typeof value === 'number' && !Number.isInteger(value)) return new Typed('double', value);
  const type = wire ?? 'int';
  if (type === 'int' && (value < INT32_MIN || value > INT32_MAX)) return new Typed('long', value);
  return new Typed(type, value);
}

/** Converts a value for an answer; `wire` types numbers (also those nested in lists and maps). */
export function toAmqp(value: ManagedValue | undefined, wire?: IntegerWire): AmqpValue {
  if (value === undefined || value === null) return null;
  if (isAmqpClass(value) || Buffer.isBuffer(value) || value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return numberAs(value, wire);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item: ManagedValue) => toAmqp(item, wire));
  return new AmqpMap(Object.entries(value).map(([k, v]): [AmqpValue, AmqpValue] => [k, toAmqp(v, wire)]));
}

/** Converts an attribute's value for an answer, typed by its schema entry. */
export function attributeToAmqp(spec: AttributeSpec | undefined, value: ManagedValue | undefined): AmqpValue {
  return toAmqp(value, spec?.wire);
}

/** Plain JS data from a decoded AMQP value: maps become objects, symbols strings, typed numbers numbers. */
export function plainOf(value: AmqpValue | undefined): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Typed) return typeof value.value === 'object' ? value.value : Number(value.value);
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof AmqpSymbol) return value.name;
  if (value instanceof AmqpArray) return value.items.map(plainOf);
  if (Array.isArray(value)) return value.map(plainOf);
  if (value instanceof AmqpMap) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.entries) {
      const name = keyName(k);
      if (name !== undefined) out[name] = plainOf(v);
    }
    return out;
  }
  if (value instanceof Described) return plainOf(value.value);
  return value;
}

/** A plain value as a comparable string (UPDATE allows unchanged values of fixed attributes). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
