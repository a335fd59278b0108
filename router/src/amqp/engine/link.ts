import type { CompositeValue } from '../codec/composites.js';
import { Delivery } from './delivery.js';
import { Listeners } from './listeners.js';
import type { Session } from './session.js';
import { asError, asTerminus, type AmqpError, type DeliveryState, type Terminus } from './types.js';

export type LinkRole = 'sender' | 'receiver';
export type LinkState = 'detached' | 'attach-sent' | 'attach-received' | 'attached' | 'detach-sent';

/** Deliveries of a link by how they ended: sent or arrived settled, or settled with an outcome. */
export interface LinkStats {
  presettled: number;
  accepted: number;
  rejected: number;
  released: number;
  modified: number;
}

/** Counts a delivery settled with `state` (outcomes only; other states are not counted). */
export function countOutcome(stats: LinkStats, state: DeliveryState | undefined): void {
  switch (state?.$type) {
    case 'accepted':
      stats.accepted++;
      break;
    case 'rejected':
      stats.rejected++;
      break;
    case 'released':
      stats.released++;
      break;
    case 'modified':
      stats.modified++;
      break;
    case 'received':
    case undefined:
      break;
  }
}

/** Fields of our attach beyond name, handle and role. */
export interface LinkOptions {
  source?: Terminus | null;
  target?: Terminus | null;
  sndSettleMode?: number;
  rcvSettleMode?: number;
  maxMessageSize?: number;
  offeredCapabilities?: string[];
  desiredCapabilities?: string[];
  properties?: CompositeValue['properties'];
}

export interface SendOptions {
  settled?: boolean;
  messageFormat?: number;
  /** Leave the delivery open for more bytes (a stream): see `Link.continueDelivery`. */
  more?: boolean;
}

/** Links are numbered across the process, as skupper-router numbers them in logs and management. */
let nextIdentity = 1;

/**
 * One end of an AMQP link. A sender sends deliveries while it has credit; a receiver grants credit
 * and gets `onDelivery` for each complete delivery (or each chunk, for streaming receivers).
 */
export class Link {
  state: LinkState = 'detached';
  remoteHandle: number | undefined = undefined;
  remote: CompositeValue | undefined = undefined;
  remoteSource: Terminus | undefined = undefined;
  remoteTarget: Terminus | undefined = undefined;
  local: LinkOptions = {};
  /** Sender: credit the peer granted and not yet used. Receiver: credit we granted. */
  credit = 0;
  deliveryCount = 0;
  drain = false;
  private nextTag = 0;
  /** Receiver: the delivery whose frames are arriving. */
  current: Delivery | undefined = undefined;
  /** Receiver: complete delivery (or a chunk when `streaming`). */
  onDelivery: ((delivery: Delivery) => void) | undefined = undefined;
  /** Receiver: deliver each frame's bytes as it arrives instead of waiting for the whole delivery. */
  streaming = false;
  /** Sender: the peer granted credit. */
  onCredit: ((link: Link) => void) | undefined = undefined;
  /** The peer attached in reply to our attach. */
  onAttached: ((link: Link) => void) | undefined = undefined;
  /** The peer detached, or the session/connection ended. */
  readonly detached = new Listeners<[Link, AmqpError | undefined]>();
  /** Router-private state. */
  context: unknown = undefined;
  /** What became of this link's deliveries, for management (skstat -l). */
  readonly stats: LinkStats = { presettled: 0, accepted: 0, rejected: 0, released: 0, modified: 0 };
  /** The link's number: `[L<n>]` in logs, its router.link identity (skstat -l's id). */
  readonly identity = nextIdentity++;

  constructor(
    readonly session: Session,
    readonly name: string,
    readonly role: LinkRole,
    readonly handle: number,
  ) {}

  get logId(): string {
    return `${this.session.connection.logId}[L${this.identity}]`;
  }

  get isSender(): boolean {
    return this.role === 'sender';
  }

  /** Sends our attach (first, or in reply to the peer's). */
  attach(options: LinkOptions): void {
    this.local = options;
    this.state = this.state === 'attach-received' ? 'attached' : 'attach-sent';
    this.session.sendAttach(this);
  }

  detach(error?: AmqpError): void {
    if (this.state === 'detached' || this.state === 'detach-sent') return;
    const wasAttached = this.state === 'attached' || this.state === 'attach-received';
    this.state = 'detach-sent';
    if (wasAttached || this.remoteHandle === undefined) this.session.sendDetach(this, error);
  }

  /** Receiver: sets the credit the sender may use (absolute, as AMQP flow frames say it). */
  flow(credit: number, drain = false): void {
    this.credit = credit;
    this.drain = drain;
    this.session.sendFlow(this);
  }

  /** Receiver: grants `n` more credit. */
  addCredit(n: number): void {
    this.flow(this.credit + n);
  }

  /** Sender: sends a delivery of `payload` (split into frames as max-frame-size requires). */
  send(payload: Buffer, options: SendOptions = {}): Delivery {
    const tag = Buffer.allocUnsafe(8);
    tag.writeBigUInt64LE(BigInt(this.nextTag++));
    const delivery = new Delivery(this, this.session.allocateDeliveryId(), tag, options.messageFormat ?? 0);
    delivery.settled = options.settled ?? false;
    if (delivery.settled) this.stats.presettled++;
    delivery.partial = options.more === true;
    this.credit--;
    this.deliveryCount = (this.deliveryCount + 1) >>> 0;
    this.session.sendTransfer(this, delivery, [payload], true, options.more === true);
    return delivery;
  }

  /** Sender: sends more bytes (pieces, in order) of a delivery started with `more: true`; `more=false` ends it. */
  continueDelivery(delivery: Delivery, payload: readonly Buffer[], more: boolean): void {
    delivery.partial = more;
    this.session.sendTransfer(this, delivery, payload, false, more);
  }

  /** Sender: aborts a streaming delivery. */
  abort(delivery: Delivery): void {
    delivery.aborted = true;
    delivery.partial = false;
    this.session.sendAbort(this, delivery);
  }

  /** Applies an attach from the peer. */
  remoteAttached(fields: CompositeValue): void {
    this.remote = fields;
    this.remoteHandle = fields.handle as number;
    this.remoteSource = asTerminus(fields.source);
    this.remoteTarget = asTerminus(fields.target);
    if (this.role === 'receiver' && typeof fields.initialDeliveryCount === 'number') {
      this.deliveryCount = fields.initialDeliveryCount;
    }
    if (this.state === 'attach-sent') {
      this.state = 'attached';
      this.onAttached?.(this);
    } else {
      this.state = 'attach-received';
    }
  }

  /** Applies a detach from the peer (or the end of the session) and answers it if needed. */
  remoteDetached(error: unknown, reply: boolean): void {
    const wasOpen = this.state !== 'detached';
    if (reply && (this.state === 'attached' || this.state === 'attach-received')) this.session.sendDetach(this, undefined);
    this.state = 'detached';
    this.session.failDeliveries(this);
    if (wasOpen) this.detached.emit(this, asError(error));
  }

  /** Capabilities the peer offered on its attach (symbols). */
  remoteCapabilities(): string[] {
    const fromTerminus = this.role === 'sender' ? this.remoteTarget?.capabilities : this.remoteSource?.capabilities;
    return [...(fromTerminus ?? []), ...((this.remote?.offeredCapabilities as string[] | undefined) ?? [])];
  }
}
