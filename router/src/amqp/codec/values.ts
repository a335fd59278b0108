/**
 * The AMQP 1.0 value model shared by the decoder and the encoder.
 *
 * Plain JS values stand for the unambiguous AMQP types (null, boolean, string = str, Buffer = binary,
 * Array = list, Date = timestamp). Numbers decode to `number` (or `bigint` past 2^53). Where the
 * AMQP type matters on the wire — symbol vs string, uint vs long — the value carries it:
 * `AmqpSymbol`, `Typed` (a number with its AMQP type), `Described`, `AmqpMap`, `AmqpArray`.
 */

export const ScalarType = {
  ubyte: 'ubyte',
  ushort: 'ushort',
  uint: 'uint',
  ulong: 'ulong',
  byte: 'byte',
  short: 'short',
  int: 'int',
  long: 'long',
  float: 'float',
  double: 'double',
  char: 'char',
  timestamp: 'timestamp',
  uuid: 'uuid',
  decimal32: 'decimal32',
  decimal64: 'decimal64',
  decimal128: 'decimal128',
} as const;
export type ScalarType = (typeof ScalarType)[keyof typeof ScalarType];

/** An AMQP symbol (ASCII name), distinct from a string on the wire. */
export class AmqpSymbol {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

/** A value whose AMQP type is stated rather than inferred (e.g. `new Typed('uint', 5)`). */
export class Typed {
  constructor(
    readonly type: ScalarType,
    readonly value: number | bigint | Buffer,
  ) {}
}

/** A described type: descriptor (symbol or ulong code) plus value. */
export class Described {
  constructor(
    readonly descriptor: AmqpValue,
    readonly value: AmqpValue,
  ) {}
}

/** An AMQP map kept as ordered pairs: keys may be strings or symbols, and `get` matches either. */
export class AmqpMap {
  constructor(readonly entries: Array<[AmqpValue, AmqpValue]> = []) {}

  get(key: string): AmqpValue | undefined {
    for (const [k, v] of this.entries) {
      if (keyName(k) === key) return v;
    }
    return undefined;
  }

  set(key: AmqpValue, value: AmqpValue): this {
    const name = keyName(key);
    const at = this.entries.findIndex(([k]) => keyName(k) === name);
    if (at >= 0) this.entries[at] = [key, value];
    else this.entries.push([key, value]);
    return this;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Builds a map with symbol keys, the form AMQP uses for properties and annotations. */
  static withSymbolKeys(record: Record<string, AmqpValue>): AmqpMap {
    return new AmqpMap(Object.entries(record).map(([k, v]) => [new AmqpSymbol(k), v]));
  }

  /** Builds a map with string keys, the form application-properties and Python bodies use. */
  static withStringKeys(record: Record<string, AmqpValue>): AmqpMap {
    return new AmqpMap(Object.entries(record));
  }
}

/** An AMQP array: every element has the same type (`elementType` names it for the encoder). */
export class AmqpArray {
  constructor(
    readonly elementType: ScalarType | 'symbol' | 'string' | 'boolean' | 'binary' | 'list' | 'map',
    readonly items: AmqpValue[],
  ) {}
}

export type AmqpValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Buffer
  | Date
  | AmqpSymbol
  | Typed
  | Described
  | AmqpMap
  | AmqpArray
  | AmqpValue[];

/** The name of a map key that is a string or a symbol; undefined for other key types. */
export function keyName(key: AmqpValue): string | undefined {
  if (typeof key === 'string') return key;
  if (key instanceof AmqpSymbol) return key.name;
  return undefined;
}

export function sym(name: string): AmqpSymbol {
  return new AmqpSymbol(name);
}

/** The text of a string or symbol value, or undefined when it is neither. */
export function textOf(value: AmqpValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof AmqpSymbol) return value.name;
  return undefined;
}

/** The number in a numeric value (plain or Typed), or undefined. */
export function numberOf(value: AmqpValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Typed && typeof value.value !== 'object') return Number(value.value);
  return undefined;
}

/** Symbols or strings in a single value, a list or an array, as texts (capabilities use any form). */
export function textsOf(value: AmqpValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  const items = value instanceof AmqpArray ? value.items : Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    const text = textOf(item);
    if (text !== undefined) out.push(text);
  }
  return out;
}
