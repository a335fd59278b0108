/**
 * AMQP values for round trips: an arbitrary of every value the encoder can write (each numeric
 * type within its range, strings, ASCII symbols, binaries across the 8/32-bit boundary, lists,
 * maps, arrays, described values), and a canonical form to compare a value with its decoding.
 */
import fc from 'fast-check';
import { AmqpArray, AmqpMap, AmqpSymbol, Described, Typed, type AmqpValue } from '../../router/src/amqp/codec/values.js';

const typed = (type: Typed['type']) => (value: number | bigint | Uint8Array): Typed => new Typed(type, Buffer.isBuffer(value) || typeof value !== 'object' ? value : Buffer.from(value));

/** Fixed-width values an array may hold, by element type. */
const fixed = {
  ubyte: fc.integer({ min: 0, max: 0xff }).map(typed('ubyte')),
  ushort: fc.integer({ min: 0, max: 0xffff }).map(typed('ushort')),
  uint: fc.oneof(fc.constantFrom(0, 1, 0xff, 0x100), fc.integer({ min: 0, max: 0xffffffff })).map(typed('uint')),
  ulong: fc.oneof(fc.constantFrom(0n, 0xffn, 0x100n, 2n ** 53n, 2n ** 64n - 1n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map(typed('ulong')),
  byte: fc.integer({ min: -128, max: 127 }).map(typed('byte')),
  short: fc.integer({ min: -0x8000, max: 0x7fff }).map(typed('short')),
  int: fc.oneof(fc.constantFrom(-128, 127, 128, -129), fc.integer({ min: -0x80000000, max: 0x7fffffff })).map(typed('int')),
  long: fc.oneof(fc.constantFrom(-128n, 127n, 128n, -(2n ** 63n)), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })).map(typed('long')),
  float: fc.float().map(typed('float')),
  double: fc.double().map(typed('double')),
  timestamp: fc.integer({ min: -8.64e15, max: 8.64e15 }).map(typed('timestamp')),
  char: fc.integer({ min: 0, max: 0x10ffff }).map(typed('char')),
  uuid: fc.uint8Array({ minLength: 16, maxLength: 16 }).map(typed('uuid')),
} as const;

const symbol = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 }).map((s) => new AmqpSymbol(s));
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 300 }));
const binary = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));

const arrays: fc.Arbitrary<AmqpArray> = fc.oneof(
  ...Object.entries(fixed).map(([type, item]) => fc.array(item as fc.Arbitrary<AmqpValue>, { maxLength: 5 }).map((items) => new AmqpArray(type as AmqpArray['elementType'], items))),
  fc.array(symbol, { maxLength: 5 }).map((items) => new AmqpArray('symbol', items)),
  fc.array(text, { maxLength: 5 }).map((items) => new AmqpArray('string', items)),
  fc.array(binary, { maxLength: 3 }).map((items) => new AmqpArray('binary', items)),
  fc.array(fc.boolean(), { maxLength: 5 }).map((items) => new AmqpArray('boolean', items)),
);

const scalar: fc.Arbitrary<AmqpValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  ...Object.values(fixed),
  fc.uint8Array({ minLength: 4, maxLength: 4 }).map(typed('decimal32')),
  fc.uint8Array({ minLength: 8, maxLength: 8 }).map(typed('decimal64')),
  fc.uint8Array({ minLength: 16, maxLength: 16 }).map(typed('decimal128')),
  text,
  symbol,
  binary,
);

/** Any value the encoder writes, nested a few levels. */
export const amqpValue: fc.Arbitrary<AmqpValue> = fc.letrec<{ value: AmqpValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }).map((entries) => new AmqpMap(entries)),
    arrays,
    fc.tuple(fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(typed('ulong')), symbol), tie('value')).map(([d, v]) => new Described(d, v)),
  ),
})).value;

/** A form two values share when they are the same AMQP value (types kept, NaN and -0 spelled out). */
export function canonical(value: AmqpValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return ['n', numberText(value)];
  if (Buffer.isBuffer(value)) return ['binary', value.toString('hex')];
  if (value instanceof Date) return ['timestamp', numberText(value.getTime())];
  if (value instanceof AmqpSymbol) return ['symbol', value.name];
  if (value instanceof Typed) return [value.type, Buffer.isBuffer(value.value) ? value.value.toString('hex') : numberText(value.value)];
  if (value instanceof Described) return ['described', canonical(value.descriptor), canonical(value.value)];
  if (value instanceof AmqpMap) return ['map', value.entries.map(([k, v]) => [canonical(k), canonical(v)])];
  if (value instanceof AmqpArray) return ['array', value.elementType, value.items.map(canonical)];
  return ['list', value.map(canonical)];
}

function numberText(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  return Object.is(n, -0) ? '-0' : String(n);
}
