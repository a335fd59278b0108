/**
 * A comparable picture of an AMQP value: every leaf as `type:value`, with values at masked paths
 * reduced to `type:*` — run-specific values (ids, names, correlators) differ, their types must not.
 */
import { Decoder } from '../../router/src/amqp/codec/decoder.js';
import { AmqpArray, AmqpMap, AmqpSymbol, Described, Typed, type AmqpValue } from '../../router/src/amqp/codec/values.js';

export type Shape = string | Shape[] | { [key: string]: Shape };

/** Paths are dot-joined list indexes and map keys, e.g. `9.qd.conn-id` is properties[qd.conn-id]. */
export function shapeOf(value: AmqpValue, masked: ReadonlySet<string> = new Set(), path = ''): Shape {
  const hide = masked.has(path);
  const at = (key: string | number): string => (path === '' ? String(key) : `${path}.${key}`);
  if (value === null) return 'null';
  if (typeof value === 'boolean') return `bool:${value}`;
  if (typeof value === 'string') return hide ? 'str:*' : `str:${value}`;
  if (Buffer.isBuffer(value)) return hide ? 'bin:*' : `bin:${value.toString('hex')}`;
  if (value instanceof AmqpSymbol) return hide ? 'sym:*' : `sym:${value.name}`;
  if (value instanceof Typed) return `${value.type}:${hide ? '*' : Buffer.isBuffer(value.value) ? value.value.toString('hex') : String(value.value)}`;
  if (value instanceof Described) {
    // A composite's trailing null fields may be omitted (AMQP 1.0 part 1, 1.4): the same value.
    const inner = Array.isArray(value.value) ? trimNulls(value.value) : value.value;
    return { descriptor: shapeOf(value.descriptor), value: shapeOf(inner, masked, path) };
  }
  if (value instanceof AmqpArray) return { [`array<${value.elementType}>`]: value.items.map((v, i) => shapeOf(v, masked, at(i))) };
  if (value instanceof AmqpMap) {
    const out: { [key: string]: Shape } = {};
    for (const [k, v] of value.entries) {
      const name = typeof k === 'string' ? `str:${k}` : k instanceof AmqpSymbol ? `sym:${k.name}` : JSON.stringify(shapeOf(k));
      out[name] = shapeOf(v, masked, at(typeof k === 'string' ? k : k instanceof AmqpSymbol ? k.name : '?'));
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((v, i) => shapeOf(v, masked, at(i)));
  return `other:${typeof value}`;
}

/** The typed shape of a frame's performative (the described list), masking the given fields. */
export function performativeShape(body: Buffer, masked: readonly string[] = []): Shape {
  return shapeOf(new Decoder(body, 0, { keepTypes: true }).read(), new Set(masked));
}

function trimNulls(items: readonly AmqpValue[]): AmqpValue[] {
  let end = items.length;
  while (end > 0 && items[end - 1] === null) end--;
  return items.slice(0, end);
}
