/**
 * Streams: deliveries that stay open while bytes flow (a TCP connection's one direction). The
 * router moves them cut-through, frame by frame, from a source to a sink; the sink's progress
 * (RECEIVED offsets) and final outcome travel back to the source.
 *
 *   StreamSource ──write/end/abort──▶ StreamSink          (bytes downstream)
 *   StreamSource ◀──update(state, settled)── StreamSink   (acks and outcome upstream)
 */
import type { Delivery } from '../amqp/engine/delivery.js';
import type { Link } from '../amqp/engine/link.js';
import type { DeliveryState } from '../amqp/engine/types.js';

/** Where a stream's bytes come from; receives the downstream side's progress and outcome. */
export interface StreamSource {
  update(state: DeliveryState | undefined, settled: boolean): void;
}

/** Where a stream's bytes go. */
export interface StreamSink {
  /** The next bytes, in pieces (the views one frame or one socket read brought). */
  write(chunks: readonly Buffer[]): void;
  end(): void;
  abort(): void;
}

/** A stream that arrived on an AMQP link: updates go back as dispositions on its delivery. */
export class DeliveryStreamSource implements StreamSource {
  constructor(private readonly delivery: Delivery) {}

  update(state: DeliveryState | undefined, settled: boolean): void {
    if (this.delivery.settled) return;
    this.delivery.update(state, settled);
  }
}

/**
 * A stream sent on an outgoing link toward a neighbor. Bytes written before the link has credit
 * wait in order; the head goes first, as the delivery's first transfer.
 */
export class LinkStreamSink implements StreamSink {
  private delivery: Delivery | undefined = undefined;
  private queued: Array<readonly Buffer[] | 'end' | 'abort'> = [];
  /** The far side settled, or we aborted: nothing more goes on this delivery. */
  private finished = false;

  constructor(
    private readonly link: Link,
    head: Buffer,
    private readonly source: StreamSource,
    /** The link is free for another stream: both sides are done with this delivery. */
    private readonly onFinished: (link: Link) => void,
  ) {
    if (link.credit > 0) this.start(head);
    else {
      link.onCredit = () => this.start(head);
      link.detached.add(this.lostLink);
    }
  }

  /** The link went before it gave credit for this stream: the stream fails now, not never. */
  private readonly lostLink = (): void => {
    this.link.detached.delete(this.lostLink);
    if (this.delivery !== undefined || this.finished) return;
    this.finished = true;
    this.link.onCredit = undefined;
    this.source.update({ $type: 'modified', deliveryFailed: true }, true);
  };

  private start(head: Buffer): void {
    if (this.delivery !== undefined || this.finished || this.link.credit <= 0) return;
    this.link.onCredit = undefined;
    this.link.detached.delete(this.lostLink);
    const delivery = this.link.send(head, { more: true });
    this.delivery = delivery;
    delivery.onUpdate = (d) => {
      if (!d.remoteSettled) return this.source.update(d.remoteState, false);
      // Settled by the far side, possibly before we finished sending (it gave up on the
      // stream): end our side with an abort so the link carries no stray frames when reused.
      if (delivery.partial) this.link.abort(delivery);
      this.finish();
      this.source.update(d.remoteState, true);
    };
    const rest = this.queued;
    this.queued = [];
    for (const item of rest) this.apply(item);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.queued = [];
    if (this.link.state === 'attached') this.onFinished(this.link);
  }

  private apply(item: readonly Buffer[] | 'end' | 'abort'): void {
    if (this.finished) return;
    if (this.delivery === undefined) {
      this.queued.push(item);
      return;
    }
    if (item === 'abort') {
      if (this.delivery.partial) this.link.abort(this.delivery);
      // Nothing may follow an abort on this delivery (a later end would be a stray transfer).
      this.finish();
    } else if (item === 'end') this.link.continueDelivery(this.delivery, NO_BYTES, false);
    else this.link.continueDelivery(this.delivery, item, true);
  }

  write(chunks: readonly Buffer[]): void {
    if (chunks.length > 0) this.apply(chunks);
  }

  end(): void {
    this.apply('end');
  }

  abort(): void {
    if (this.finished) return;
    if (this.delivery === undefined) {
      // Never started: tell the source now, and leave the link to whoever gets it next.
      this.finished = true;
      this.link.onCredit = undefined;
      this.link.detached.delete(this.lostLink);
      this.source.update({ $type: 'modified', deliveryFailed: true }, true);
      return;
    }
    this.apply('abort');
  }
}

const NO_BYTES: readonly Buffer[] = Object.freeze([]);
