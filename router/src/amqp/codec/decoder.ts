import { AmqpDecodeError } from '../../errors.js';
import { Code } from './type-codes.js';
import {
  AmqpArray,
  AmqpMap,
  AmqpSymbol,
  Described,
  Typed,
  type AmqpValue,
  type ScalarType,
} from './values.js';

interface Compound {
  count: number;
  end: number;
}

/** Deeper nesting than this is refused: no honest peer needs it, and it bounds recursion. */
const MAX_DEPTH = 64;

export interface DecodeOptions {
  /** Wrap every numeric leaf in `Typed` so its AMQP type survives (golden tests, re-encoding). */
  keepTypes?: boolean;
}

/**
 * Reads AMQP values from a buffer, starting at `offset`. Binary values are views into the buffer
 * (no copy): a caller that keeps them past the buffer's life must copy them.
 */
export class Decoder {
  offset: number;
  private readonly keepTypes: boolean;

  constructor(
    readonly buf: Buffer,
    offset = 0,
    options: DecodeOptions = {},
  ) {
    this.offset = offset;
    this.keepTypes = options.keepTypes ?? false;
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  read(): AmqpValue {
    return this.readValue(0);
  }

  /** Reads one constructor byte, or a described type's descriptor+constructor, then the value. */
  private readValue(depth: number): AmqpValue {
    if (depth > MAX_DEPTH) throw new AmqpDecodeError(`values nested deeper than ${MAX_DEPTH} levels`);
    const code = this.u8();
    if (code === Code.described) {
      const descriptor = this.readValue(depth + 1);
      const value = this.readValue(depth + 1);
      return new Described(descriptor, value);
    }
    return this.readOfCode(code, depth);
  }

  private readOfCode(code: number, depth: number): AmqpValue {
    switch (code) {
      case Code.null:
        return null;
      case Code.true:
        return true;
      case Code.false:
        return false;
      case Code.boolean:
        return this.u8() !== 0;
      case Code.ubyte:
        return this.num('ubyte', this.u8());
      case Code.ushort:
        return this.num('ushort', this.take(2).readUInt16BE(0));
      case Code.uint:
        return this.num('uint', this.take(4).readUInt32BE(0));
      case Code.smalluint:
        return this.num('uint', this.u8());
      case Code.uint0:
        return this.num('uint', 0);
      case Code.ulong:
        return this.num('ulong', safe(this.take(8).readBigUInt64BE(0)));
      case Code.smallulong:
        return this.num('ulong', this.u8());
      case Code.ulong0:
        return this.num('ulong', 0);
      case Code.byte:
        return this.num('byte', this.take(1).readInt8(0));
      case Code.short:
        return this.num('short', this.take(2).readInt16BE(0));
      case Code.int:
        return this.num('int', this.take(4).readInt32BE(0));
      case Code.smallint:
        return this.num('int', this.take(1).readInt8(0));
      case Code.long:
        return this.num('long', safe(this.take(8).readBigInt64BE(0)));
      case Code.smalllong:
        return this.num('long', this.take(1).readInt8(0));
      case Code.float:
        return this.num('float', this.take(4).readFloatBE(0));
      case Code.double:
        return this.num('double', this.take(8).readDoubleBE(0));
      case Code.timestamp: {
        const ms = safe(this.take(8).readBigInt64BE(0));
        // A time outside Date's range (±8.64e15 ms) stays a typed number: it re-encodes as it came.
        return this.keepTypes || typeof ms === 'bigint' || Math.abs(ms) > 8.64e15 ? new Typed('timestamp', ms) : new Date(ms);
      }
      case Code.char:
        return new Typed('char', this.take(4).readUInt32BE(0));
      case Code.uuid:
        return new Typed('uuid', this.take(16));
      case Code.decimal32:
        return new Typed('decimal32', this.take(4));
      case Code.decimal64:
        return new Typed('decimal64', this.take(8));
      case Code.decimal128:
        return new Typed('decimal128', this.take(16));
      case Code.vbin8:
        return this.take(this.u8());
      case Code.vbin32:
        return this.take(this.u32());
      case Code.str8:
        return this.utf8(this.u8());
      case Code.str32:
        return this.utf8(this.u32());
      case Code.sym8:
        return new AmqpSymbol(this.ascii(this.u8()));
      case Code.sym32:
        return new AmqpSymbol(this.ascii(this.u32()));
      case Code.list0:
        return [];
      case Code.list8:
        return this.list(this.compound(1, 1), depth);
      case Code.list32:
        return this.list(this.compound(4, 1), depth);
      case Code.map8:
        return this.map(this.compound(1, 1), depth);
      case Code.map32:
        return this.map(this.compound(4, 1), depth);
      case Code.array8:
        return this.array(this.compound(1, 0), depth);
      case Code.array32:
        return this.array(this.compound(4, 0), depth);
      default:
        throw new AmqpDecodeError(`unknown AMQP type constructor 0x${code.toString(16)} at offset ${this.offset - 1}`);
    }
  }

  private num(type: ScalarType, value: number | bigint): AmqpValue {
    return this.keepTypes ? new Typed(type, value) : value;
  }

  private list({ count, end }: Compound, depth: number): AmqpValue[] {
    const items: AmqpValue[] = [];
    for (let i = 0; i < count; i++) items.push(this.readValue(depth + 1));
    this.expectEnd(end, 'list');
    return items;
  }

  private map({ count, end }: Compound, depth: number): AmqpMap {
    if (count % 2 !== 0) throw new AmqpDecodeError(`map with an odd number of elements (${count})`);
    const entries: Array<[AmqpValue, AmqpValue]> = [];
    for (let i = 0; i < count; i += 2) {
      const key = this.readValue(depth + 1);
      entries.push([key, this.readValue(depth + 1)]);
    }
    this.expectEnd(end, 'map');
    return new AmqpMap(entries);
  }

  private array({ count, end }: Compound, depth: number): AmqpValue {
    // Elements of a zero-width type (null, true, uint0, list0, ...) take no bytes: without this
    // bound ten bytes could claim 2^32 of them and fill the heap.
    if (count > this.buf.length) throw new AmqpDecodeError(`array claims ${count} elements in ${this.buf.length} bytes`);
    let code = this.u8();
    let descriptor: AmqpValue | undefined;
    if (code === Code.described) {
      descriptor = this.readValue(depth + 1);
      code = this.u8();
    }
    const items: AmqpValue[] = [];
    for (let i = 0; i < count; i++) {
      const item = this.readOfCode(code, depth + 1);
      items.push(descriptor === undefined ? item : new Described(descriptor, item));
    }
    this.expectEnd(end, 'array');
    return new AmqpArray(elementTypeOf(code), items);
  }

  /**
   * Reads a compound's size and count fields (each `width` bytes). The size covers the count field
   * and the elements, which must lie inside the buffer; each element takes at least
   * `minElementBytes`, so a count that cannot fit is refused before any allocation.
   */
  private compound(width: 1 | 4, minElementBytes: number): Compound {
    const size = width === 1 ? this.u8() : this.u32();
    const end = this.offset + size;
    if (end > this.buf.length) throw new AmqpDecodeError(`compound value of ${size} bytes runs past the end of its frame`, { truncated: true });
    if (size < width) throw new AmqpDecodeError(`compound value of ${size} bytes is too small for its count`);
    const count = width === 1 ? this.u8() : this.u32();
    if (count * minElementBytes > end - this.offset) {
      throw new AmqpDecodeError(`compound value claims ${count} elements in ${size} bytes`);
    }
    return { count, end };
  }

  private expectEnd(end: number, what: string): void {
    if (this.offset !== end) throw new AmqpDecodeError(`${what} size does not match its contents`);
  }

  private u8(): number {
    const v = this.buf[this.offset];
    if (v === undefined) throw new AmqpDecodeError('value truncated: the frame ends inside it', { truncated: true });
    this.offset++;
    return v;
  }

  private u32(): number {
    return this.take(4).readUInt32BE(0);
  }

  private take(n: number): Buffer {
    if (this.offset + n > this.buf.length) throw new AmqpDecodeError('value truncated: the frame ends inside it', { truncated: true });
    const view = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return view;
  }

  private utf8(n: number): string {
    const start = this.offset;
    this.take(n);
    return this.buf.toString('utf8', start, start + n);
  }

  private ascii(n: number): string {
    const start = this.offset;
    this.take(n);
    return this.buf.toString('latin1', start, start + n);
  }
}

/** Numbers past 2^53 stay bigint so no precision is lost. */
function safe(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
}

function elementTypeOf(code: number): AmqpArray['elementType'] {
  switch (code) {
    case Code.sym8:
    case Code.sym32:
      return 'symbol';
    case Code.str8:
    case Code.str32:
      return 'string';
    case Code.vbin8:
    case Code.vbin32:
      return 'binary';
    case Code.true:
    case Code.false:
    case Code.boolean:
      return 'boolean';
    case Code.list0:
    case Code.list8:
    case Code.list32:
      return 'list';
    case Code.map8:
    case Code.map32:
      return 'map';
    case Code.ubyte:
      return 'ubyte';
    case Code.ushort:
      return 'ushort';
    case Code.uint:
    case Code.smalluint:
    case Code.uint0:
      return 'uint';
    case Code.ulong:
    case Code.smallulong:
    case Code.ulong0:
      return 'ulong';
    case Code.byte:
      return 'byte';
    case Code.short:
      return 'short';
    case Code.int:
    case Code.smallint:
      return 'int';
    case Code.long:
    case Code.smalllong:
      return 'long';
    case Code.float:
      return 'float';
    case Code.double:
      return 'double';
    case Code.timestamp:
      return 'timestamp';
    case Code.char:
      return 'char';
    case Code.uuid:
      return 'uuid';
    case Code.decimal32:
      return 'decimal32';
    case Code.decimal64:
      return 'decimal64';
    case Code.decimal128:
      return 'decimal128';
    default:
      throw new AmqpDecodeError(`array of unknown element constructor 0x${code.toString(16)}`);
  }
}
