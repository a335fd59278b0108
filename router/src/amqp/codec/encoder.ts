import { AmqpEncodeError } from '../../errors.js';
import { Code } from './type-codes.js';
import { AmqpArray, AmqpMap, AmqpSymbol, Described, Typed, type AmqpValue, type ScalarType } from './values.js';

const MAX_LONG = 2n ** 63n - 1n;

/**
 * Writes AMQP values into a growable buffer. One Encoder is reused for many frames: `reset()`, write,
 * then `view()` returns the bytes without copying (valid until the next reset).
 *
 * Untyped JS numbers encode as `long` (or `double` when not whole), as Qpid Proton's Python binding
 * encodes Python ints; state any other numeric type with `Typed`.
 */
export class Encoder {
  private buf: Buffer;
  offset = 0;

  constructor(initialSize = 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  reset(): this {
    this.offset = 0;
    return this;
  }

  view(from = 0): Buffer {
    return this.buf.subarray(from, this.offset);
  }

  ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.offset + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.offset++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.offset);
    this.offset += 4;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.offset);
    this.offset += bytes.length;
  }

  /** Writes a value, inferring its AMQP type from its JS type (see class comment). */
  write(value: AmqpValue): void {
    if (value === null) return this.u8(Code.null);
    switch (typeof value) {
      case 'boolean':
        return this.u8(value ? Code.true : Code.false);
      case 'number':
        // Past 2^53 a number is a double already (a decoded long that large is a bigint): kept as one;
        // so is -0, which no integer holds.
        return Number.isSafeInteger(value) && !Object.is(value, -0) ? this.scalar('long', value) : this.scalar('double', value);
      case 'bigint':
        // A ulong past a long's range decodes to a bigint too: it goes back out as a ulong.
        return this.scalar(value > MAX_LONG ? 'ulong' : 'long', value);
      case 'string':
        return this.string(value);
      default:
        break;
    }
    if (Buffer.isBuffer(value)) return this.binary(value);
    if (value instanceof AmqpSymbol) return this.symbol(value.name);
    if (value instanceof Typed) return this.scalar(value.type, value.value);
    if (value instanceof Date) return this.scalar('timestamp', value.getTime());
    if (value instanceof Described) {
      this.u8(Code.described);
      this.write(value.descriptor);
      return this.write(value.value);
    }
    if (value instanceof AmqpMap) return this.map(value);
    if (value instanceof AmqpArray) return this.array(value);
    if (Array.isArray(value)) return this.list(value);
    throw new AmqpEncodeError(`cannot encode a value of type ${typeof value}`);
  }

  string(value: string): void {
    const length = Buffer.byteLength(value);
    this.variable(length, Code.str8, Code.str32);
    this.buf.write(value, this.offset, 'utf8');
    this.offset += length;
  }

  symbol(name: string): void {
    this.variable(name.length, Code.sym8, Code.sym32);
    this.buf.write(name, this.offset, 'latin1');
    this.offset += name.length;
  }

  binary(value: Uint8Array): void {
    this.variable(value.length, Code.vbin8, Code.vbin32);
    this.raw(value);
  }

  /** Writes the constructor and length of a variable-width value and makes room for its bytes. */
  private variable(length: number, code8: number, code32: number): void {
    this.ensure(5 + length);
    if (length <= 0xff) {
      this.buf[this.offset++] = code8;
      this.buf[this.offset++] = length;
    } else {
      this.buf[this.offset++] = code32;
      this.buf.writeUInt32BE(length, this.offset);
      this.offset += 4;
    }
  }

  /** Writes a numeric (or uuid/decimal) value as the named AMQP type, in its most compact form. */
  scalar(type: ScalarType, value: number | bigint | Buffer): void {
    this.ensure(17);
    const b = this.buf;
    if (Buffer.isBuffer(value)) return this.fixedBytes(type, value);
    const n = value;
    switch (type) {
      case 'ubyte':
        b[this.offset++] = Code.ubyte;
        b[this.offset++] = Number(n);
        return;
      case 'ushort':
        b[this.offset++] = Code.ushort;
        this.offset = b.writeUInt16BE(Number(n), this.offset);
        return;
      case 'uint': {
        const v = Number(n);
        if (v === 0) b[this.offset++] = Code.uint0;
        else if (v <= 0xff) {
          b[this.offset++] = Code.smalluint;
          b[this.offset++] = v;
        } else {
          b[this.offset++] = Code.uint;
          this.offset = b.writeUInt32BE(v, this.offset);
        }
        return;
      }
      case 'ulong': {
        const v = BigInt(n);
        if (v === 0n) b[this.offset++] = Code.ulong0;
        else if (v <= 0xffn) {
          b[this.offset++] = Code.smallulong;
          b[this.offset++] = Number(v);
        } else {
          b[this.offset++] = Code.ulong;
          this.offset = b.writeBigUInt64BE(v, this.offset);
        }
        return;
      }
      case 'byte':
        b[this.offset++] = Code.byte;
        this.offset = b.writeInt8(Number(n), this.offset);
        return;
      case 'short':
        b[this.offset++] = Code.short;
        this.offset = b.writeInt16BE(Number(n), this.offset);
        return;
      case 'int': {
        const v = Number(n);
        if (v >= -128 && v <= 127) {
          b[this.offset++] = Code.smallint;
          this.offset = b.writeInt8(v, this.offset);
        } else {
          b[this.offset++] = Code.int;
          this.offset = b.writeInt32BE(v, this.offset);
        }
        return;
      }
      case 'long': {
        const v = BigInt(n);
        if (v >= -128n && v <= 127n) {
          b[this.offset++] = Code.smalllong;
          this.offset = b.writeInt8(Number(v), this.offset);
        } else {
          b[this.offset++] = Code.long;
          this.offset = b.writeBigInt64BE(v, this.offset);
        }
        return;
      }
      case 'float':
        b[this.offset++] = Code.float;
        this.offset = b.writeFloatBE(Number(n), this.offset);
        return;
      case 'double':
        b[this.offset++] = Code.double;
        this.offset = b.writeDoubleBE(Number(n), this.offset);
        return;
      case 'timestamp':
        b[this.offset++] = Code.timestamp;
        this.offset = b.writeBigInt64BE(BigInt(n), this.offset);
        return;
      case 'char':
        b[this.offset++] = Code.char;
        this.offset = b.writeUInt32BE(Number(n), this.offset);
        return;
      case 'uuid':
      case 'decimal32':
      case 'decimal64':
      case 'decimal128':
        throw new AmqpEncodeError(`${type} needs its bytes as a Buffer`);
    }
  }

  private fixedBytes(type: ScalarType, value: Buffer): void {
    const widths: Partial<Record<ScalarType, [number, number]>> = {
      uuid: [Code.uuid, 16],
      decimal32: [Code.decimal32, 4],
      decimal64: [Code.decimal64, 8],
      decimal128: [Code.decimal128, 16],
    };
    const spec = widths[type];
    if (spec === undefined || value.length !== spec[1]) {
      throw new AmqpEncodeError(`a ${type} cannot be written from ${value.length} bytes`);
    }
    this.u8(spec[0]);
    this.raw(value);
  }

  list(items: readonly AmqpValue[]): void {
    if (items.length === 0) return this.u8(Code.list0);
    const start = this.compoundStart(Code.list32, items.length);
    for (const item of items) this.write(item);
    this.compoundEnd(start, Code.list8, items.length);
  }

  map(map: AmqpMap): void {
    const start = this.compoundStart(Code.map32, map.entries.length * 2);
    for (const [k, v] of map.entries) {
      this.write(k);
      this.write(v);
    }
    this.compoundEnd(start, Code.map8, map.entries.length * 2);
  }

  array(array: AmqpArray): void {
    const start = this.compoundStart(Code.array32, array.items.length);
    // Elements of a described array share one descriptor, written once before their constructor.
    const first = array.items[0];
    let items = array.items;
    if (first instanceof Described) {
      this.u8(Code.described);
      this.write(first.descriptor);
      items = items.map((item) => (item instanceof Described ? item.value : item));
    }
    new ArrayElementWriter(this, array.elementType, items).writeAll();
    this.compoundEnd(start, Code.array8, array.items.length);
  }

  /** An array element that is a list or map: its 32-bit size and count, then its items (no constructor). */
  compoundElement(items: readonly AmqpValue[]): void {
    const start = this.offset;
    this.ensure(8);
    this.offset += 8;
    for (const item of items) this.write(item);
    this.buf.writeUInt32BE(this.offset - start - 4, start);
    this.buf.writeUInt32BE(items.length, start + 4);
  }

  /** Writes the 32-bit form's header (code, size placeholder, count); returns where it starts. */
  private compoundStart(code32: number, count: number): number {
    const start = this.offset;
    this.ensure(9);
    this.buf[this.offset] = code32;
    this.buf.writeUInt32BE(count, this.offset + 5);
    this.offset += 9;
    return start;
  }

  /** Fills in the size, and narrows to the 8-bit form when size and count allow. */
  private compoundEnd(start: number, code8: number, count: number): void {
    const bodyLength = this.offset - (start + 9);
    if (bodyLength + 1 <= 0xff && count <= 0xff) {
      this.buf[start] = code8;
      this.buf[start + 1] = bodyLength + 1;
      this.buf[start + 2] = count;
      this.buf.copyWithin(start + 3, start + 9, this.offset);
      this.offset -= 6;
    } else {
      this.buf.writeUInt32BE(bodyLength + 4, start + 1);
    }
  }
}

/** Full-width constructor and element size of the fixed-width types an array may hold. */
const FIXED_ARRAY_ELEMENTS: Partial<Record<AmqpArray['elementType'], [code: number, width: number]>> = {
  ubyte: [Code.ubyte, 1], ushort: [Code.ushort, 2], uint: [Code.uint, 4], ulong: [Code.ulong, 8],
  byte: [Code.byte, 1], short: [Code.short, 2], int: [Code.int, 4], long: [Code.long, 8],
  float: [Code.float, 4], double: [Code.double, 8], timestamp: [Code.timestamp, 8], char: [Code.char, 4],
  uuid: [Code.uuid, 16], decimal32: [Code.decimal32, 4], decimal64: [Code.decimal64, 8], decimal128: [Code.decimal128, 16],
};

/** Arrays share one constructor for all elements, so each element is written without its own. */
class ArrayElementWriter {
  constructor(
    private readonly enc: Encoder,
    private readonly type: AmqpArray['elementType'],
    private readonly items: readonly AmqpValue[],
  ) {}

  writeAll(): void {
    const enc = this.enc;
    switch (this.type) {
      case 'symbol':
      case 'string':
      case 'binary': {
        const bytes = this.items.map((item) => toBytes(this.type as 'symbol' | 'string' | 'binary', item));
        const wide = bytes.some((b) => b.length > 0xff);
        const codes = { symbol: [Code.sym8, Code.sym32], string: [Code.str8, Code.str32], binary: [Code.vbin8, Code.vbin32] };
        const [code8, code32] = codes[this.type];
        enc.u8(wide ? (code32 as number) : (code8 as number));
        for (const b of bytes) {
          if (wide) enc.u32(b.length);
          else enc.u8(b.length);
          enc.raw(b);
        }
        return;
      }
      case 'boolean':
        enc.u8(Code.boolean);
        for (const item of this.items) enc.u8(item === true ? 1 : 0);
        return;
      case 'list':
      case 'map':
        enc.u8(this.type === 'list' ? Code.list32 : Code.map32);
        for (const item of this.items) enc.compoundElement(compoundItems(this.type, item));
        return;
      default:
        return this.fixedWidth();
    }
  }

  private fixedWidth(): void {
    const spec = FIXED_ARRAY_ELEMENTS[this.type];
    if (spec === undefined) throw new AmqpEncodeError(`arrays of ${this.type} are not supported`);
    const [code, width] = spec;
    this.enc.u8(code);
    const element = Buffer.alloc(width);
    for (const item of this.items) {
      const v = item instanceof Typed ? item.value : item instanceof Date ? item.getTime() : item;
      if (Buffer.isBuffer(v) && v.length === width) {
        this.enc.raw(v);
        continue;
      }
      if (typeof v !== 'number' && typeof v !== 'bigint') {
        throw new AmqpEncodeError(`array of ${this.type} holds a value of another type`);
      }
      writeFixed(element, this.type, v);
      this.enc.raw(element);
    }
  }
}

function writeFixed(out: Buffer, type: AmqpArray['elementType'], v: number | bigint): void {
  switch (type) {
    case 'ubyte': out.writeUInt8(Number(v)); return;
    case 'ushort': out.writeUInt16BE(Number(v)); return;
    case 'uint': case 'char': out.writeUInt32BE(Number(v)); return;
    case 'ulong': out.writeBigUInt64BE(BigInt(v)); return;
    case 'byte': out.writeInt8(Number(v)); return;
    case 'short': out.writeInt16BE(Number(v)); return;
    case 'int': out.writeInt32BE(Number(v)); return;
    case 'long': case 'timestamp': out.writeBigInt64BE(BigInt(v)); return;
    case 'float': out.writeFloatBE(Number(v)); return;
    case 'double': out.writeDoubleBE(Number(v)); return;
    default: throw new AmqpEncodeError(`arrays of ${type} are not supported`);
  }
}

function toBytes(type: 'symbol' | 'string' | 'binary', item: AmqpValue): Buffer {
  if (type === 'binary' && Buffer.isBuffer(item)) return item;
  if (type === 'symbol' && item instanceof AmqpSymbol) return Buffer.from(item.name, 'latin1');
  if (typeof item === 'string') return Buffer.from(item, type === 'symbol' ? 'latin1' : 'utf8');
  throw new AmqpEncodeError(`array of ${type} holds a value of another type`);
}

/** The items of a list, or a map's keys and values in turn, as an array of lists or maps holds them. */
function compoundItems(type: 'list' | 'map', item: AmqpValue): readonly AmqpValue[] {
  if (type === 'list' && Array.isArray(item)) return item;
  if (type === 'map' && item instanceof AmqpMap) return item.entries.flat();
  throw new AmqpEncodeError(`array of ${type} holds a value of another type`);
}
