import { describe, expect, it } from 'vitest';
import { AmqpArray, AmqpMap, AmqpSymbol, Typed } from '../../router/src/amqp/codec/values.js';
import { plainOf, sameValue, toAmqp } from '../../router/src/mgmt/wire-values.js';

describe('mgmt wire-values - attribute values to and from AMQP', () => {
  it('types integers as asked, as Python ints (int, then long past 32 bits) by default', () => {
    expect(toAmqp(5)).toEqual(new Typed('int', 5));
    expect(toAmqp(2 ** 31)).toEqual(new Typed('long', 2 ** 31));
    expect(toAmqp(-(2 ** 31) - 1)).toEqual(new Typed('long', -(2 ** 31) - 1));
    expect(toAmqp(7, 'ulong')).toEqual(new Typed('ulong', 7));
    expect(toAmqp(1.5)).toEqual(new Typed('double', 1.5));
  });

  it('types the numbers inside lists and maps too; keys are strings', () => {
    expect(toAmqp([1, 'a', null], 'long')).toEqual([new Typed('long', 1), 'a', null]);
    expect(toAmqp({ tcp: 0, amqp: 2 }, 'ulong')).toEqual(new AmqpMap([['tcp', new Typed('ulong', 0)], ['amqp', new Typed('ulong', 2)]]));
  });

  it('leaves values whose AMQP type is already fixed alone', () => {
    const fixed = new Typed('ushort', 3);
    expect(toAmqp(fixed, 'ulong')).toBe(fixed);
    expect(toAmqp(undefined)).toBeNull();
    expect(toAmqp(true)).toBe(true);
  });

  it('reads requests back into plain data: symbols, typed numbers, arrays and maps', () => {
    const request = AmqpMap.withSymbolKeys({
      name: new AmqpSymbol('web'),
      port: new Typed('uint', 80),
      names: new AmqpArray('string', ['a', 'b']),
      nested: AmqpMap.withStringKeys({ big: 12n }),
    });
    expect(plainOf(request)).toEqual({ name: 'web', port: 80, names: ['a', 'b'], nested: { big: 12 } });
    expect(plainOf(undefined)).toBeNull();
  });

  it('compares plain values by content', () => {
    expect(sameValue('9000', '9000')).toBe(true);
    expect(sameValue('9000', 9000)).toBe(false);
    expect(sameValue({ a: [1] }, { a: [1] })).toBe(true);
  });
});
