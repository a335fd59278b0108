import { AmqpDecodeError } from '../errors.js';
import { Decoder } from '../amqp/codec/decoder.js';
import { Encoder } from '../amqp/codec/encoder.js';
import { decodeRouterAnnotations, encodeRouterAnnotations, ROUTER_ANNOTATIONS_CODE, SectionCode, sectionCode, type RouterAnnotations } from '../amqp/codec/message.js';
import { Described, numberOf, textOf } from '../amqp/codec/values.js';

/**
 * What the forwarder needs from a message, read without decoding its body: the router
 * annotations, where they end, and the `to` / `reply-to` properties.
 */
export interface MessageView {
  annotations: RouterAnnotations | undefined;
  /** Offset of the first section after the router annotations (0 when there are none). */
  bodyOffset: number;
  to: string | undefined;
  replyTo: string | undefined;
  priority: number | undefined;
}

export function viewMessage(bytes: Buffer): MessageView {
  const view: MessageView = { annotations: undefined, bodyOffset: 0, to: undefined, replyTo: undefined, priority: undefined };
  const dec = new Decoder(bytes);
  while (dec.remaining > 0) {
    const section = dec.read();
    if (!(section instanceof Described)) throw new AmqpDecodeError('message section is not a described type');
    const code = sectionCode(section.descriptor);
    if (code === ROUTER_ANNOTATIONS_CODE) {
      view.annotations = decodeRouterAnnotations(section.value);
      view.bodyOffset = dec.offset;
    } else if (code === SectionCode.header && Array.isArray(section.value)) {
      view.priority = numberOf(section.value[1]);
    } else if (code === SectionCode.properties && Array.isArray(section.value)) {
      view.to = textOf(section.value[2]);
      view.replyTo = textOf(section.value[4]);
      return view;
    } else if (code !== SectionCode.deliveryAnnotations && code !== SectionCode.messageAnnotations) {
      return view; // application-properties or body: no properties section
    }
  }
  return view;
}

const scratch = new Encoder(256);

/** The message with new router annotations in front of its other sections. */
export function withAnnotations(bytes: Buffer, view: MessageView, annotations: RouterAnnotations): Buffer {
  scratch.reset();
  encodeRouterAnnotations(scratch, annotations);
  const head = scratch.view();
  const rest = bytes.subarray(view.bodyOffset);
  const out = Buffer.allocUnsafe(head.length + rest.length);
  head.copy(out, 0);
  rest.copy(out, head.length);
  return out;
}

/** The message without router annotations (for non-router peers). */
export function withoutAnnotations(bytes: Buffer, view: MessageView): Buffer {
  return view.bodyOffset === 0 ? bytes : bytes.subarray(view.bodyOffset);
}
