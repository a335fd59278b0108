import { AmqpDecodeError } from '../../errors.js';
import { Decoder } from './decoder.js';
import type { Encoder } from './encoder.js';
import { AmqpArray, AmqpMap, AmqpSymbol, Described, Typed, numberOf, textOf, textsOf, type AmqpValue } from './values.js';

/**
 * AMQP composite types (performatives, SASL frames, terminus, error, delivery states) as
 * field tables: one table drives both decoding (described list → object) and encoding.
 */

export type FieldType =
  | 'string'
  | 'symbol'
  | 'symbols'
  | 'boolean'
  | 'ubyte'
  | 'ushort'
  | 'uint'
  | 'ulong'
  | 'binary'
  | 'map'
  | 'composite'
  | 'any';

export interface CompositeSpec {
  readonly name: string;
  readonly code: number;
  readonly fields: ReadonlyArray<readonly [key: string, type: FieldType]>;
}

const spec = (name: string, code: number, fields: CompositeSpec['fields']): CompositeSpec => ({ name, code, fields });

const caps = [
  ['offeredCapabilities', 'symbols'],
  ['desiredCapabilities', 'symbols'],
  ['properties', 'map'],
] as const;

export const Composites = {
  open: spec('open', 0x10, [
    ['containerId', 'string'], ['hostname', 'string'], ['maxFrameSize', 'uint'], ['channelMax', 'ushort'],
    ['idleTimeOut', 'uint'], ['outgoingLocales', 'symbols'], ['incomingLocales', 'symbols'], ...caps,
  ]),
  begin: spec('begin', 0x11, [
    ['remoteChannel', 'ushort'], ['nextOutgoingId', 'uint'], ['incomingWindow', 'uint'],
    ['outgoingWindow', 'uint'], ['handleMax', 'uint'], ...caps,
  ]),
  attach: spec('attach', 0x12, [
    ['name', 'string'], ['handle', 'uint'], ['role', 'boolean'], ['sndSettleMode', 'ubyte'],
    ['rcvSettleMode', 'ubyte'], ['source', 'composite'], ['target', 'composite'], ['unsettled', 'map'],
    ['incompleteUnsettled', 'boolean'], ['initialDeliveryCount', 'uint'], ['maxMessageSize', 'ulong'], ...caps,
  ]),
  flow: spec('flow', 0x13, [
    ['nextIncomingId', 'uint'], ['incomingWindow', 'uint'], ['nextOutgoingId', 'uint'], ['outgoingWindow', 'uint'],
    ['handle', 'uint'], ['deliveryCount', 'uint'], ['linkCredit', 'uint'], ['available', 'uint'],
    ['drain', 'boolean'], ['echo', 'boolean'], ['properties', 'map'],
  ]),
  transfer: spec('transfer', 0x14, [
    ['handle', 'uint'], ['deliveryId', 'uint'], ['deliveryTag', 'binary'], ['messageFormat', 'uint'],
    ['settled', 'boolean'], ['more', 'boolean'], ['rcvSettleMode', 'ubyte'], ['state', 'composite'],
    ['resume', 'boolean'], ['aborted', 'boolean'], ['batchable', 'boolean'],
  ]),
  disposition: spec('disposition', 0x15, [
    ['role', 'boolean'], ['first', 'uint'], ['last', 'uint'], ['settled', 'boolean'], ['state', 'composite'],
    ['batchable', 'boolean'],
  ]),
  detach: spec('detach', 0x16, [['handle', 'uint'], ['closed', 'boolean'], ['error', 'composite']]),
  end: spec('end', 0x17, [['error', 'composite']]),
  close: spec('close', 0x18, [['error', 'composite']]),
  error: spec('error', 0x1d, [['condition', 'symbol'], ['description', 'string'], ['info', 'map']]),
  received: spec('received', 0x23, [['sectionNumber', 'uint'], ['sectionOffset', 'ulong']]),
  accepted: spec('accepted', 0x24, []),
  rejected: spec('rejected', 0x25, [['error', 'composite']]),
  released: spec('released', 0x26, []),
  modified: spec('modified', 0x27, [
    ['deliveryFailed', 'boolean'], ['undeliverableHere', 'boolean'], ['messageAnnotations', 'map'],
  ]),
  source: spec('source', 0x28, [
    ['address', 'string'], ['durable', 'uint'], ['expiryPolicy', 'symbol'], ['timeout', 'uint'],
    ['dynamic', 'boolean'], ['dynamicNodeProperties', 'map'], ['distributionMode', 'symbol'], ['filter', 'map'],
    ['defaultOutcome', 'composite'], ['outcomes', 'symbols'], ['capabilities', 'symbols'],
  ]),
  target: spec('target', 0x29, [
    ['address', 'string'], ['durable', 'uint'], ['expiryPolicy', 'symbol'], ['timeout', 'uint'],
    ['dynamic', 'boolean'], ['dynamicNodeProperties', 'map'], ['capabilities', 'symbols'],
  ]),
  header: spec('header', 0x70, [
    ['durable', 'boolean'], ['priority', 'ubyte'], ['ttl', 'uint'], ['firstAcquirer', 'boolean'], ['deliveryCount', 'uint'],
  ]),
  properties: spec('properties', 0x73, [
    ['messageId', 'any'], ['userId', 'binary'], ['to', 'string'], ['subject', 'string'], ['replyTo', 'string'],
    ['correlationId', 'any'], ['contentType', 'symbol'], ['contentEncoding', 'symbol'], ['absoluteExpiryTime', 'any'],
    ['creationTime', 'any'], ['groupId', 'string'], ['groupSequence', 'uint'], ['replyToGroupId', 'string'],
  ]),
  deleteOnClose: spec('delete-on-close', 0x2b, []),
  saslMechanisms: spec('sasl-mechanisms', 0x40, [['saslServerMechanisms', 'symbols']]),
  saslInit: spec('sasl-init', 0x41, [['mechanism', 'symbol'], ['initialResponse', 'binary'], ['hostname', 'string']]),
  saslChallenge: spec('sasl-challenge', 0x42, [['challenge', 'binary']]),
  saslResponse: spec('sasl-response', 0x43, [['response', 'binary']]),
  saslOutcome: spec('sasl-outcome', 0x44, [['code', 'ubyte'], ['additionalData', 'binary']]),
} as const satisfies Record<string, CompositeSpec>;

export type CompositeName = keyof typeof Composites;

const byCode = new Map<number, CompositeSpec>(Object.values(Composites).map((s) => [s.code, s]));
const bySymbol = new Map<string, CompositeSpec>(
  Object.values(Composites).map((s) => [`amqp:${s.name}:list`, s]),
);

/** A decoded composite: `$type` names it; other keys are its fields (absent when null). */
export interface CompositeValue {
  $type: string;
  [field: string]: unknown;
}

export function compositeSpecOf(descriptor: AmqpValue): CompositeSpec | undefined {
  const code = numberOf(descriptor);
  if (code !== undefined) return byCode.get(code);
  const name = textOf(descriptor);
  return name === undefined ? undefined : bySymbol.get(name);
}

/** Decodes a described list into an object by its spec; unknown descriptors throw. */
export function decodeComposite(value: AmqpValue): CompositeValue {
  if (!(value instanceof Described)) throw new AmqpDecodeError('expected a described type');
  const s = compositeSpecOf(value.descriptor);
  if (s === undefined) throw new AmqpDecodeError(`unknown descriptor ${String(value.descriptor)}`);
  const list = value.value;
  if (!Array.isArray(list)) throw new AmqpDecodeError(`${s.name} is not a list`);
  const out: CompositeValue = { $type: s.name };
  s.fields.forEach(([key, type], i) => {
    const field = list[i];
    if (field === undefined || field === null) return;
    out[key] = decodeField(s.name, key, type, field);
  });
  return out;
}

/** Largest value of each unsigned field type; a ulong is not bounded (2^64 - 1, 'no limit', is not exact as a number). */
const UNSIGNED_MAX = { ubyte: 0xff, ushort: 0xffff, uint: 0xffffffff, ulong: Infinity } as const;

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function decodeField(owner: string, key: string, type: FieldType, field: AmqpValue): unknown {
  const wrong = (): never => {
    throw new AmqpDecodeError(`${owner}.${key}: expected ${type}`);
  };
  switch (type) {
    case 'string':
      return textOf(field) ?? wrong();
    // Symbols are ASCII: anything else (a string with bytes that are not UTF-8, say) names nothing.
    case 'symbol': {
      const text = textOf(field);
      return text !== undefined && isAscii(text) ? text : wrong();
    }
    case 'symbols': {
      const texts = textsOf(field);
      return texts.every(isAscii) ? texts : wrong();
    }
    case 'boolean':
      return typeof field === 'boolean' ? field : wrong();
    case 'ubyte':
    case 'ushort':
    case 'uint':
    case 'ulong': {
      // A float, a negative or an oversized number here is no count, handle or id (nor would it re-encode as one).
      const n = numberOf(field);
      return n !== undefined && Number.isInteger(n) && n >= 0 && n <= UNSIGNED_MAX[type] ? n : wrong();
    }
    case 'binary':
      return Buffer.isBuffer(field) ? field : wrong();
    case 'map':
      return field instanceof AmqpMap ? field : wrong();
    case 'composite':
      // A described value of a type Skiff does not know is kept as it came; a bare value is no composite.
      if (!(field instanceof Described)) return wrong();
      return compositeSpecOf(field.descriptor) ? decodeComposite(field) : field;
    case 'any':
      return field;
  }
}

/** Writes `value` as the described list of composite `name`, trailing nulls trimmed. */
export function encodeComposite(enc: Encoder, name: CompositeName, value: Readonly<Record<string, unknown>>): void {
  enc.write(describedOf(Composites[name], value));
}

const specByName = new Map<string, CompositeSpec>(Object.values(Composites).map((s) => [s.name, s]));

function describedOf(s: CompositeSpec, value: Readonly<Record<string, unknown>>): Described {
  let last = s.fields.length - 1;
  while (last >= 0 && isAbsent(value[s.fields[last]![0]])) last--;
  const items: AmqpValue[] = [];
  for (let i = 0; i <= last; i++) {
    const [key, type] = s.fields[i]!;
    items.push(fieldValue(value[key], type, key));
  }
  return new Described(new Typed('ulong', s.code), items);
}

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null;
}

/** Converts a field to an AmqpValue of its declared type for the encoder. */
function fieldValue(v: unknown, type: FieldType, key: string): AmqpValue {
  if (isAbsent(v)) return null;
  switch (type) {
    case 'symbol':
      return new AmqpSymbol(String(v));
    case 'symbols': {
      // One symbol goes alone, several as an array: the forms Proton writes, and both are legal.
      const names = v as readonly string[];
      return names.length === 1 ? new AmqpSymbol(names[0]!) : new AmqpArray('symbol', names.map((name) => new AmqpSymbol(name)));
    }
    case 'ubyte':
    case 'ushort':
    case 'uint':
    case 'ulong':
      return new Typed(type, v as number);
    case 'composite': {
      // A nested composite given as an object goes through its spec: the one its `$type` names,
      // or for `error` fields the error type (errors are written as { condition, description }).
      const named = typeof v === 'object' && v !== null && '$type' in v ? specByName.get(String(v.$type)) : undefined;
      const nested = named ?? (key === 'error' && typeof v === 'object' && v !== null && !(v instanceof Described) ? Composites.error : undefined);
      return nested === undefined ? (v as AmqpValue) : describedOf(nested, v as Record<string, unknown>);
    }
    case 'string':
    case 'boolean':
    case 'binary':
    case 'map':
    case 'any':
      return v as AmqpValue;
  }
}

/** A frame body split into its performative and the payload bytes after it (views). */
export interface FrameBody {
  performative: CompositeValue;
  payload: Buffer;
  /** The payload's further pieces when the frame spanned transport chunks (see FrameReader). */
  tail: readonly Buffer[];
}

export function decodeFrameBody(body: Buffer, tail: readonly Buffer[] = []): FrameBody {
  const dec = new Decoder(body);
  let performative;
  try {
    performative = decodeComposite(dec.read());
  } catch (err) {
    // A performative longer than the frame's contiguous start (a large attach, say): join once.
    if (!(err instanceof AmqpDecodeError && err.truncated && tail.length > 0)) throw err;
    return decodeFrameBody(Buffer.concat([body, ...tail]));
  }
  return { performative, payload: body.subarray(dec.offset), tail };
}
