/**
 * The head of a TCP stream message, as skupper-router's cut-through adaptor composes it (§d.3):
 * properties (to, reply-to, correlation-id, content-type "application/octet-stream" — a string,
 * as skupper-router writes it), application-properties {V: 1}, and an amqp-value null body.
 * Everything after the head is raw TCP payload.
 */
import { Encoder } from '../amqp/codec/encoder.js';
import { decodeMessage, RaFlag } from '../amqp/codec/message.js';
import { AmqpMap, Described, Typed, type AmqpValue } from '../amqp/codec/values.js';
import { AmqpDecodeError } from '../errors.js';

export const STREAM_CONTENT_TYPE = 'application/octet-stream';
/** Mapping version of the stream encoding (skupper-router issue #1602). */
export const STREAM_MAPPING_VERSION = 1;
/** Router-annotation flags of a stream: streaming, and Q2 off (streams have their own window). */
export const STREAM_FLAGS = RaFlag.streaming | RaFlag.q2Disabled;

export interface StreamHead {
  to: string;
  replyTo?: string;
  correlationId?: string;
  /** ALPN protocol negotiated by a TLS listener, passed on to the connector side. */
  alpn?: string;
}

/** The head's sections (without router annotations, which the forwarder adds per hop). */
export function encodeStreamHead(head: StreamHead): Buffer {
  const enc = new Encoder(256);
  const properties: AmqpValue[] = [null, null, head.to, null, head.replyTo ?? null, head.correlationId ?? null, STREAM_CONTENT_TYPE];
  enc.write(new Described(new Typed('ulong', 0x73), properties));
  const appProps = AmqpMap.withStringKeys({ V: new Typed('uint', STREAM_MAPPING_VERSION) });
  if (head.alpn !== undefined) appProps.set('alpn', head.alpn);
  enc.write(new Described(new Typed('ulong', 0x74), appProps));
  enc.write(new Described(new Typed('ulong', 0x77), null));
  return Buffer.from(enc.view());
}

export type HeadParse =
  | { kind: 'incomplete' }
  | { kind: 'head'; head: StreamHead; payloadOffset: number }
  | { kind: 'invalid'; reason: string; release: boolean };

/**
 * Parses a stream's head from its first bytes. Incomplete bytes ask for more; a message that is
 * not a stream of ours is invalid (release: true when it is another encapsulation, so the sender
 * may try elsewhere, as skupper-router releases mismatched content types).
 */
export function parseStreamHead(bytes: Buffer): HeadParse {
  let msg;
  try {
    msg = decodeMessage(bytes, { streaming: true });
  } catch (err) {
    if (err instanceof AmqpDecodeError && err.truncated) return { kind: 'incomplete' };
    return { kind: 'invalid', reason: (err as Error).message, release: false };
  }
  if (msg.body === undefined && msg.payloadOffset === bytes.length) return { kind: 'incomplete' };
  const p = msg.properties;
  if (p?.contentType !== STREAM_CONTENT_TYPE) {
    return { kind: 'invalid', reason: `content-type ${String(p?.contentType)} is not ${STREAM_CONTENT_TYPE}`, release: true };
  }
  if (p.to === undefined) return { kind: 'invalid', reason: 'stream has no to address', release: false };
  const head: StreamHead = { to: p.to };
  if (p.replyTo !== undefined) head.replyTo = p.replyTo;
  if (typeof p.correlationId === 'string') head.correlationId = p.correlationId;
  const alpn = msg.applicationProperties?.get('alpn');
  if (typeof alpn === 'string') head.alpn = alpn;
  return { kind: 'head', head, payloadOffset: msg.payloadOffset };
}
