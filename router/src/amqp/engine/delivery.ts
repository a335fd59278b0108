import type { Link } from './link.js';
import type { DeliveryState } from './types.js';

/**
 * One delivery on a link. Incoming: `payload` holds the bytes once complete (or the chunks so far
 * while streaming). Outgoing: the router learns the peer's outcome through `onUpdate`.
 */
export class Delivery {
  /** Peer's latest state for an outgoing delivery, ours for an incoming one. */
  state: DeliveryState | undefined = undefined;
  remoteState: DeliveryState | undefined = undefined;
  settled = false;
  remoteSettled = false;
  /** Payload of an incoming delivery: chunks as they arrived (views into socket buffers). */
  chunks: Buffer[] = [];
  /** True while more transfer frames of an incoming delivery are expected. */
  partial = true;
  aborted = false;
  /** Called when the peer changes this delivery's state or settles it. */
  onUpdate: ((delivery: Delivery) => void) | undefined = undefined;
  /** Router-private link between an inbound delivery and what it was forwarded to. */
  context: unknown = undefined;

  constructor(
    readonly link: Link,
    readonly id: number,
    readonly tag: Buffer,
    readonly messageFormat: number,
  ) {}

  /** The complete payload of an incoming delivery (joins chunks only when there are several). */
  payload(): Buffer {
    if (this.chunks.length === 1) return this.chunks[0]!;
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined;
  }

  get payloadLength(): number {
    let n = 0;
    for (const c of this.chunks) n += c.length;
    return n;
  }

  /** Sets our state for an incoming delivery and, if asked, settles it; sends a disposition. */
  update(state: DeliveryState | undefined, settle: boolean): void {
    if (this.settled) return;
    this.state = state;
    if (settle) this.settled = true;
    this.link.session.sendDisposition(this);
  }

  accept(): void {
    this.update({ $type: 'accepted' }, true);
  }

  release(): void {
    this.update({ $type: 'released' }, true);
  }
}
