/**
 * Takes in deliveries that arrive on stream links, frame by frame. Until a stream's head has
 * arrived its bytes are held; then the forwarder picks the sink, and from there on each frame's
 * bytes are passed on as they come (cut-through): nothing holds more than what one frame brought.
 * A delivery without the streaming flag is an ordinary message and is forwarded when complete.
 * Inter-router data links bring their deliveries here too: skupper-router sends a stream whose bytes
 * had all arrived before it routed it (a server that greets and half-closes at once) as one whole
 * transfer on a data link, and it is a stream all the same.
 */
import type { Delivery } from '../amqp/engine/delivery.js';
import type { Link } from '../amqp/engine/link.js';
import { RaFlag } from '../amqp/codec/message.js';
import { AmqpDecodeError } from '../errors.js';
import { logger } from '../log.js';
import { parseStreamHead } from './stream-head.js';
import type { Forwarder } from './forwarder.js';
import { viewMessage } from './message-view.js';
import type { RouterPeer } from './neighbor.js';
import { DeliveryStreamSource, type StreamSink } from './stream.js';

const log = logger('ROUTER_CORE');
const STREAM_LINK_CREDIT = 250;

interface IntakeState {
  sink: StreamSink | undefined;
}

export function takeStreamLink(forwarder: Forwarder, link: Link, from: RouterPeer): void {
  link.streaming = true;
  link.onDelivery = (delivery) => {
    takeDelivery(forwarder, delivery, from);
    if (!delivery.partial) link.addCredit(1);
  };
  link.flow(STREAM_LINK_CREDIT);
}

/** One frame of a delivery (or the whole of it, on a link that is not streaming) from `from`. */
export function takeDelivery(forwarder: Forwarder, d: Delivery, from: RouterPeer): void {
  const state = d.context as IntakeState | undefined;
  if (state !== undefined) {
    if (d.aborted) return state.sink?.abort();
    if (d.chunks.length > 0) {
      state.sink?.write(d.chunks);
      d.chunks = [];
    }
    if (!d.partial) state.sink?.end();
    return;
  }
  if (d.aborted) return;
  const bytes = d.payload();
  let view;
  try {
    view = viewMessage(bytes);
  } catch (err) {
    if (err instanceof AmqpDecodeError && err.truncated && d.partial) return; // wait for more
    log.warning(`${d.link.logId} dropping a malformed stream head: ${(err as Error).message}`);
    d.update({ $type: 'rejected', error: { condition: 'amqp:decode-error', description: (err as Error).message } }, true);
    d.context = { sink: undefined };
    return;
  }
  if (((view.annotations?.flags ?? 0) & RaFlag.streaming) === 0) {
    if (d.partial) return;
    forwarder.forward({ bytes, view, delivery: d.remoteSettled ? undefined : d, from, linkTarget: undefined, logId: d.link.logId });
    return;
  }
  const parsed = parseStreamHead(bytes.subarray(view.bodyOffset));
  if (parsed.kind === 'incomplete') {
    if (!d.partial) d.update({ $type: 'rejected', error: { condition: 'amqp:decode-error', description: 'stream ended inside its head' } }, true);
    return;
  }
  if (parsed.kind === 'invalid') {
    d.update(parsed.release ? { $type: 'released' } : { $type: 'rejected', error: { condition: 'amqp:decode-error', description: parsed.reason } }, true);
    d.context = { sink: undefined };
    return;
  }
  const headEnd = view.bodyOffset + parsed.payloadOffset;
  const source = new DeliveryStreamSource(d);
  const sink = forwarder.forwardStream({ bytes: bytes.subarray(0, headEnd), view, head: parsed.head, source, from });
  d.context = { sink } satisfies IntakeState;
  d.chunks = [];
  if (sink === undefined) {
    source.update({ $type: 'modified', deliveryFailed: true, undeliverableHere: true }, true);
    return;
  }
  if (headEnd < bytes.length) sink.write([bytes.subarray(headEnd)]);
  if (!d.partial) sink.end();
}
