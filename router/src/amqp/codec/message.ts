import { AmqpDecodeError } from '../../errors.js';
import { decodeComposite, encodeComposite } from './composites.js';
import { Decoder } from './decoder.js';
import type { Encoder } from './encoder.js';
import { AmqpMap, Described, Typed, numberOf, textOf, type AmqpValue } from './values.js';

/**
 * AMQP messages as the router sees them: an optional `SKPR--RA` router-annotations section, the
 * standard sections, and a body. A streamed (cut-through) message ends its sections with an
 * amqp-value null and continues with raw octets: `payloadOffset` says where those begin.
 */

export const SectionCode = {
  header: 0x70,
  deliveryAnnotations: 0x71,
  messageAnnotations: 0x72,
  properties: 0x73,
  applicationProperties: 0x74,
  data: 0x75,
  amqpSequence: 0x76,
  amqpValue: 0x77,
  footer: 0x78,
} as const;

/** Descriptor of skupper-router's router-annotations section: "SKPR--RA" as a ulong. */
export const ROUTER_ANNOTATIONS_CODE = 0x534b50522d2d5241n;

/** Router-annotation flag bits. */
export const RaFlag = { streaming: 1, resendReleased: 2, q2Disabled: 4 } as const;

export interface RouterAnnotations {
  flags: number;
  toOverride: string | null;
  ingressRouter: string | null;
  trace: string[];
  ingressMesh: string | null;
}

export interface MessageHeader {
  durable?: boolean;
  priority?: number;
  ttl?: number;
  firstAcquirer?: boolean;
  deliveryCount?: number;
}

export interface MessageProperties {
  messageId?: AmqpValue;
  userId?: Buffer;
  to?: string;
  subject?: string;
  replyTo?: string;
  correlationId?: AmqpValue;
  contentType?: string;
  contentEncoding?: string;
  absoluteExpiryTime?: AmqpValue;
  creationTime?: AmqpValue;
  groupId?: string;
  groupSequence?: number;
  replyToGroupId?: string;
}

export interface Message {
  routerAnnotations?: RouterAnnotations;
  header?: MessageHeader;
  deliveryAnnotations?: AmqpMap;
  messageAnnotations?: AmqpMap;
  properties?: MessageProperties;
  applicationProperties?: AmqpMap;
  /** The amqp-value body, or the data sections' bytes (Buffer), or an amqp-sequence's list. */
  body?: AmqpValue;
  footer?: AmqpMap;
}

export interface DecodedMessage extends Message {
  /** Offset just past the last decoded section: raw stream octets start here (cut-through). */
  payloadOffset: number;
}

export interface MessageDecodeOptions {
  /** Stop after the first body section: what follows is a raw stream, not sections. */
  streaming?: boolean;
  keepTypes?: boolean;
}

/** Decodes a message's sections from `buf` (a whole message, or a stream's head). */
export function decodeMessage(buf: Buffer, options: MessageDecodeOptions = {}): DecodedMessage {
  const dec = new Decoder(buf, 0, { keepTypes: options.keepTypes ?? false });
  const msg: DecodedMessage = { payloadOffset: 0 };
  const data: Buffer[] = [];
  while (dec.remaining > 0) {
    const section = dec.read();
    if (!(section instanceof Described)) throw new AmqpDecodeError('message section is not a described type');
    const code = sectionCode(section.descriptor);
    if (code === ROUTER_ANNOTATIONS_CODE) {
      msg.routerAnnotations = decodeRouterAnnotations(section.value);
    } else if (code === SectionCode.data) {
      if (!Buffer.isBuffer(section.value)) throw new AmqpDecodeError('data section does not hold binary');
      data.push(section.value);
    } else {
      assignSection(msg, code, section);
    }
    msg.payloadOffset = dec.offset;
    const isBody = code === SectionCode.amqpValue || code === SectionCode.data || code === SectionCode.amqpSequence;
    if (options.streaming === true && isBody) break;
  }
  if (data.length > 0) msg.body = data.length === 1 ? data[0]! : Buffer.concat(data);
  return msg;
}

/** A section's descriptor code (bigint for the 64-bit router-annotations code). */
export function sectionCode(descriptor: AmqpValue): number | bigint {
  const value = descriptor instanceof Typed ? descriptor.value : descriptor;
  if (typeof value === 'bigint') return value;
  const n = numberOf(descriptor);
  if (n === undefined) throw new AmqpDecodeError('message section has a symbolic or missing descriptor');
  return n;
}

function assignSection(msg: Message, code: number | bigint, section: Described): void {
  const mapOf = (what: string): AmqpMap => {
    if (section.value instanceof AmqpMap) return section.value;
    if (section.value === null) return new AmqpMap();
    throw new AmqpDecodeError(`${what} section is not a map`);
  };
  switch (code) {
    case SectionCode.header:
      msg.header = stripType(decodeComposite(section)) as MessageHeader;
      return;
    case SectionCode.deliveryAnnotations:
      msg.deliveryAnnotations = mapOf('delivery-annotations');
      return;
    case SectionCode.messageAnnotations:
      msg.messageAnnotations = mapOf('message-annotations');
      return;
    case SectionCode.properties:
      msg.properties = stripType(decodeComposite(section)) as MessageProperties;
      return;
    case SectionCode.applicationProperties:
      msg.applicationProperties = mapOf('application-properties');
      return;
    case SectionCode.amqpValue:
    case SectionCode.amqpSequence:
      msg.body = section.value;
      return;
    case SectionCode.footer:
      msg.footer = mapOf('footer');
      return;
    default:
      throw new AmqpDecodeError(`unknown message section 0x${code.toString(16)}`);
  }
}

function stripType(value: { $type: string; [k: string]: unknown }): Record<string, unknown> {
  const { $type: _type, ...rest } = value;
  return rest;
}

export function decodeRouterAnnotations(value: AmqpValue): RouterAnnotations {
  if (!Array.isArray(value)) throw new AmqpDecodeError('router annotations are not a list');
  const [flags, toOverride, ingress, trace, mesh] = value;
  const text = (v: AmqpValue | undefined): string | null => (v === undefined || v === null ? null : (textOf(v) ?? null));
  return {
    flags: numberOf(flags) ?? 0,
    toOverride: text(toOverride),
    ingressRouter: text(ingress),
    trace: Array.isArray(trace) ? trace.map((t) => textOf(t) ?? '') : [],
    ingressMesh: text(mesh),
  };
}

/** Writes the router-annotations section as skupper-router composes it. */
export function encodeRouterAnnotations(enc: Encoder, ra: RouterAnnotations): void {
  const fields: AmqpValue[] = [new Typed('uint', ra.flags), ra.toOverride, ra.ingressRouter, ra.trace];
  if (ra.ingressMesh !== null) fields.push(ra.ingressMesh);
  enc.write(new Described(new Typed('ulong', ROUTER_ANNOTATIONS_CODE), fields));
}

/** Writes a message's sections in the order AMQP requires. */
export function encodeMessage(enc: Encoder, msg: Message): void {
  if (msg.routerAnnotations !== undefined) encodeRouterAnnotations(enc, msg.routerAnnotations);
  if (msg.header !== undefined) encodeComposite(enc, 'header', msg.header as Record<string, unknown>);
  const mapSection = (code: number, map: AmqpMap | undefined): void => {
    if (map !== undefined) enc.write(new Described(new Typed('ulong', code), map));
  };
  mapSection(SectionCode.deliveryAnnotations, msg.deliveryAnnotations);
  mapSection(SectionCode.messageAnnotations, msg.messageAnnotations);
  if (msg.properties !== undefined) encodeComposite(enc, 'properties', msg.properties as Record<string, unknown>);
  mapSection(SectionCode.applicationProperties, msg.applicationProperties);
  if (msg.body !== undefined) {
    const code = Buffer.isBuffer(msg.body) ? SectionCode.data : SectionCode.amqpValue;
    enc.write(new Described(new Typed('ulong', code), msg.body));
  }
  mapSection(SectionCode.footer, msg.footer);
}
