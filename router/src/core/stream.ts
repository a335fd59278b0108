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
  write(chunk: Buffer): void;
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
  private queued: Array<Buffer | 'end' | 'abort'> = [];

  constructor(
    private readonly link: Link,
    head: Buffer,
    private readonly source: StreamSource,
    private readonly onFinished: (link: Link) => void,
  ) {
    this.queued.push(head);
    if (link.credit > 0) this.start();
    else link.onCredit = () => this.start();
  }

  private start(): void {
    if (this.delivery !== undefined || this.link.credit <= 0) return;
    this.link.onCredit = undefined;
    const head = this.queued.shift() as Buffer;
    this.delivery = this.link.send(head, { more: true });
    this.delivery.onUpdate = (d) => {
      const done = d.remoteSettled;
      this.source.update(d.remoteState, done);
      if (done) this.onFinished(this.link);
    };
    const rest = this.queued;
    this.queued = [];
    for (const item of rest) this.apply(item);
  }

  private apply(item: Buffer | 'end' | 'abort'): void {
    if (this.delivery === undefined) {
      this.queued.push(item);
      return;
    }
    if (item === 'abort') this.link.abort(this.delivery);
    else if (item === 'end') this.link.continueDelivery(this.delivery, EMPTY, false);
    else this.link.continueDelivery(this.delivery, item, true);
  }

  write(chunk: Buffer): void {
    if (chunk.length > 0) this.apply(chunk);
  }

  end(): void {
    this.apply('end');
  }

  abort(): void {
    if (this.delivery?.partial === false) return;
    this.apply('abort');
    if (this.delivery === undefined) this.source.update({ $type: 'modified', deliveryFailed: true }, true);
  }
}

const EMPTY = Buffer.alloc(0);
