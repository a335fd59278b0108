import type { CompositeValue } from '../codec/composites.js';
import { FrameType } from '../codec/frames.js';
import type { Connection } from './connection.js';
import { Delivery } from './delivery.js';
import { piecesLength } from './frame-writer.js';
import { countOutcome, Link, type LinkRole } from './link.js';
import { asDeliveryState, Condition, type AmqpError } from './types.js';

/**
 * Our incoming window in frames (skupper-router's: 128 MiB of 16 KiB frames). We consume frames as
 * they arrive and widen the window again when half is used.
 */
const INCOMING_WINDOW = 8192;
const OUTGOING_WINDOW = 0x7fffffff;
const HANDLE_MAX = 0x7fffffff;

/**
 * An AMQP session: a channel pair, transfer windows, delivery ids and the links attached on it.
 * Transfers the peer's incoming window has no room for wait in `blocked` until its next flow.
 */
export class Session {
  remoteChannel: number | undefined = undefined;
  ended = false;
  private nextOutgoingId = 0;
  private remoteIncomingWindow = 0;
  private incomingWindow = INCOMING_WINDOW;
  private nextIncomingId = 0;
  private nextDeliveryId = 0;
  private nextHandle = 0;
  readonly links = new Map<number, Link>();
  private readonly remoteLinks = new Map<number, Link>();
  private readonly unsettledOut = new Map<number, Delivery>();
  private readonly unsettledIn = new Map<number, Delivery>();
  private blocked: Array<() => void> = [];
  /** The peer attached a link we did not ask for: the owner answers with `link.attach()` or detaches it. */
  onRemoteAttach: ((link: Link) => void) | undefined = undefined;
  onEnded: ((session: Session, error: AmqpError | undefined) => void) | undefined = undefined;
  context: unknown = undefined;

  constructor(
    readonly connection: Connection,
    readonly channel: number,
  ) {}

  /** Creates a link we initiate; call `attach()` on it to send the attach. */
  createLink(name: string, role: LinkRole): Link {
    const link = new Link(this, name, role, this.allocateHandle());
    this.links.set(link.handle, link);
    return link;
  }

  private allocateHandle(): number {
    while (this.links.has(this.nextHandle)) this.nextHandle = (this.nextHandle + 1) % HANDLE_MAX;
    return this.nextHandle++;
  }

  allocateDeliveryId(): number {
    const id = this.nextDeliveryId;
    this.nextDeliveryId = (id + 1) >>> 0;
    return id;
  }

  sendBegin(): void {
    this.connection.writer.frame(FrameType.amqp, this.channel, 'begin', {
      remoteChannel: this.remoteChannel,
      nextOutgoingId: this.nextOutgoingId,
      incomingWindow: this.incomingWindow,
      outgoingWindow: OUTGOING_WINDOW,
      handleMax: HANDLE_MAX,
    });
  }

  end(error?: AmqpError): void {
    if (this.ended) return;
    this.connection.writer.frame(FrameType.amqp, this.channel, 'end', { error });
    this.ended = true;
  }

  sendAttach(link: Link): void {
    const o = link.local;
    this.connection.writer.frame(FrameType.amqp, this.channel, 'attach', {
      name: link.name,
      handle: link.handle,
      role: link.role === 'receiver',
      // Settle modes, initial delivery count and max message size are always written, as Proton
      // writes them (mixed, first, 0, 0 = no limit).
      sndSettleMode: o.sndSettleMode ?? 2,
      rcvSettleMode: o.rcvSettleMode ?? 0,
      source: o.source === undefined || o.source === null ? undefined : { $type: 'source', ...o.source },
      target: o.target === undefined || o.target === null ? undefined : { $type: 'target', ...o.target },
      initialDeliveryCount: link.role === 'sender' ? link.deliveryCount : 0,
      maxMessageSize: o.maxMessageSize ?? 0,
      offeredCapabilities: o.offeredCapabilities,
      desiredCapabilities: o.desiredCapabilities,
      properties: o.properties,
    });
  }

  sendDetach(link: Link, error: AmqpError | undefined): void {
    this.connection.writer.frame(FrameType.amqp, this.channel, 'detach', { handle: link.handle, closed: true, error });
  }

  /** Session-level flow, plus the link's state when given. */
  sendFlow(link?: Link): void {
    this.connection.writer.frame(FrameType.amqp, this.channel, 'flow', {
      nextIncomingId: this.remoteChannel === undefined ? undefined : this.nextIncomingId,
      incomingWindow: this.incomingWindow,
      nextOutgoingId: this.nextOutgoingId,
      outgoingWindow: OUTGOING_WINDOW,
      handle: link?.handle,
      deliveryCount: link?.deliveryCount,
      linkCredit: link === undefined ? undefined : Math.max(0, link.credit),
      drain: link?.drain === true ? true : undefined,
    });
  }

  sendDisposition(delivery: Delivery): void {
    const incoming = delivery.link.role === 'receiver';
    this.connection.writer.frame(FrameType.amqp, this.channel, 'disposition', {
      role: incoming,
      first: delivery.id,
      settled: delivery.settled,
      state: delivery.state,
    });
    if (delivery.settled) {
      (incoming ? this.unsettledIn : this.unsettledOut).delete(delivery.id);
      countOutcome(delivery.link.stats, delivery.state);
    }
  }

  /** Deliveries of `link` not yet settled by both ends (management's unsettledCount). */
  unsettledOf(link: Link): number {
    let n = 0;
    for (const d of (link.role === 'receiver' ? this.unsettledIn : this.unsettledOut).values()) if (d.link === link) n++;
    return n;
  }

  /**
   * Sends `payload` (pieces, in order) as transfer frames no larger than the peer's max-frame-size.
   * The first frame of a delivery carries its id and tag; `more` keeps the delivery open after the
   * last frame.
   */
  sendTransfer(link: Link, delivery: Delivery, payload: readonly Buffer[], first: boolean, more: boolean): void {
    if (first) {
      this.connection.lastDeliveryAt = Date.now();
      if (!delivery.settled) this.unsettledOut.set(delivery.id, delivery);
    }
    const room = this.connection.remoteMaxFrameSize - TRANSFER_OVERHEAD;
    // The usual case, one frame's worth: the pieces go as they are, with no list of frames built.
    if (piecesLength(payload) <= room) return this.writeFrameOf(link, delivery, payload, first, more);
    const frames = cutFrames(payload, room);
    for (let i = 0; i < frames.length; i++) this.writeFrameOf(link, delivery, frames[i]!, first && i === 0, i < frames.length - 1 || more);
  }

  /** One transfer frame of a delivery: the first carries its id and tag, the others only continue it. */
  private writeFrameOf(link: Link, delivery: Delivery, payload: readonly Buffer[], first: boolean, more: boolean): void {
    if (!first) return this.writeContinuation(link.handle, payload, more);
    this.writeTransfer(
      { handle: link.handle, deliveryId: delivery.id, deliveryTag: delivery.tag, messageFormat: delivery.messageFormat, settled: delivery.settled, more },
      payload,
    );
  }

  sendAbort(link: Link, delivery: Delivery): void {
    this.writeTransfer({ handle: link.handle, deliveryId: delivery.id, aborted: true, settled: true, more: false }, undefined);
    this.unsettledOut.delete(delivery.id);
  }

  /** The hot path: frames that continue a delivery, while the peer's window has room. */
  private writeContinuation(handle: number, payload: readonly Buffer[], more: boolean): void {
    if (this.remoteIncomingWindow > 0 && this.blocked.length === 0) {
      this.connection.writer.continuation(this.channel, handle, payload, more);
      this.nextOutgoingId = (this.nextOutgoingId + 1) >>> 0;
      this.remoteIncomingWindow--;
      return;
    }
    this.writeTransfer({ handle, more }, payload);
  }

  private writeTransfer(fields: Record<string, unknown>, payload: readonly Buffer[] | undefined): void {
    const write = (): void => {
      this.connection.writer.frame(FrameType.amqp, this.channel, 'transfer', fields, payload);
      this.nextOutgoingId = (this.nextOutgoingId + 1) >>> 0;
      this.remoteIncomingWindow--;
    };
    if (this.remoteIncomingWindow > 0 && this.blocked.length === 0) write();
    else this.blocked.push(write);
  }

  /**
   * The link is gone: its unsettled outgoing deliveries end as failed (MODIFIED, delivery-failed),
   * and a delivery still arriving on it is aborted, so whoever waits on them learns it now.
   */
  failDeliveries(link: Link): void {
    for (const [id, d] of this.unsettledOut) {
      if (d.link !== link) continue;
      this.unsettledOut.delete(id);
      d.remoteState = { $type: 'modified', deliveryFailed: true };
      d.remoteSettled = true;
      d.onUpdate?.(d);
    }
    const current = link.current;
    if (current !== undefined) {
      link.current = undefined;
      current.aborted = true;
      current.partial = false;
      link.onDelivery?.(current);
    }
    for (const [id, d] of this.unsettledIn) if (d.link === link) this.unsettledIn.delete(id);
  }

  // ---- frames from the peer -------------------------------------------------------------

  onBegin(fields: CompositeValue): void {
    this.nextIncomingId = (fields.nextOutgoingId as number | undefined) ?? 0;
    this.remoteIncomingWindow = (fields.incomingWindow as number | undefined) ?? 0;
  }

  onAttach(fields: CompositeValue): void {
    const ourRole: LinkRole = fields.role === true ? 'sender' : 'receiver';
    const name = fields.name as string;
    let link: Link | undefined;
    for (const l of this.links.values()) {
      if (l.name === name && l.role === ourRole && l.state === 'attach-sent') link = l;
    }
    const remoteHandle = fields.handle as number;
    if (this.remoteLinks.has(remoteHandle)) {
      this.connection.fail(Condition.framingError, `attach on handle ${remoteHandle}, which is in use`);
      return;
    }
    if (link !== undefined) {
      this.remoteLinks.set(remoteHandle, link);
      link.remoteAttached(fields);
      return;
    }
    link = new Link(this, name, ourRole, this.allocateHandle());
    this.links.set(link.handle, link);
    this.remoteLinks.set(remoteHandle, link);
    link.remoteAttached(fields);
    if (this.onRemoteAttach === undefined) link.detach({ condition: Condition.notAllowed, description: 'links are not accepted here' });
    else this.onRemoteAttach(link);
  }

  onFlow(fields: CompositeValue): void {
    const nextIncomingId = (fields.nextIncomingId as number | undefined) ?? 0;
    this.remoteIncomingWindow = nextIncomingId + (fields.incomingWindow as number) - this.nextOutgoingId;
    if (fields.handle !== undefined) {
      const link = this.remoteLinks.get(fields.handle as number);
      if (link === undefined) return;
      if (link.isSender) {
        const theirCount = (fields.deliveryCount as number | undefined) ?? 0;
        link.credit = ((theirCount + ((fields.linkCredit as number | undefined) ?? 0) - link.deliveryCount) | 0);
        link.drain = fields.drain === true;
        if (link.credit > 0) link.onCredit?.(link);
        if (link.drain && link.credit > 0) {
          // Nothing more to send: use up the credit, as drain asks.
          link.deliveryCount = (link.deliveryCount + link.credit) >>> 0;
          link.credit = 0;
          this.sendFlow(link);
        }
      } else if (typeof fields.deliveryCount === 'number') {
        link.deliveryCount = fields.deliveryCount;
      }
      if (fields.echo === true) this.sendFlow(link);
    } else if (fields.echo === true) {
      this.sendFlow();
    }
    this.flushBlocked();
  }

  private flushBlocked(): void {
    while (this.blocked.length > 0 && this.remoteIncomingWindow > 0) {
      const write = this.blocked.shift()!;
      write();
    }
  }

  /** A transfer arrived; its payload is `payload` then the pieces of `tail` (see FrameReader). */
  onTransfer(fields: CompositeValue, payload: Buffer, tail: readonly Buffer[]): void {
    this.nextIncomingId = (this.nextIncomingId + 1) >>> 0;
    if (--this.incomingWindow < INCOMING_WINDOW / 2) {
      this.incomingWindow = INCOMING_WINDOW;
      this.sendFlow();
    }
    const link = this.remoteLinks.get(fields.handle as number);
    if (link === undefined || link.isSender) {
      this.connection.fail(Condition.framingError, `transfer on handle ${String(fields.handle)}, which has no receiving link`);
      return;
    }
    let delivery = link.current;
    if (delivery === undefined) {
      if (typeof fields.deliveryId !== 'number') {
        this.connection.fail(Condition.framingError, 'first transfer of a delivery without a delivery-id');
        return;
      }
      delivery = new Delivery(link, fields.deliveryId, (fields.deliveryTag as Buffer | undefined) ?? Buffer.alloc(0), (fields.messageFormat as number | undefined) ?? 0);
      delivery.remoteSettled = fields.settled === true;
      if (delivery.remoteSettled) link.stats.presettled++;
      this.connection.lastDeliveryAt = Date.now();
      link.current = delivery;
      link.credit--;
      link.deliveryCount = (link.deliveryCount + 1) >>> 0;
      if (!delivery.remoteSettled) this.unsettledIn.set(delivery.id, delivery);
    }
    if (fields.aborted === true) {
      delivery.aborted = true;
      delivery.partial = false;
      link.current = undefined;
      this.unsettledIn.delete(delivery.id);
      link.onDelivery?.(delivery);
      return;
    }
    if (payload.length > 0) delivery.chunks.push(payload);
    for (const piece of tail) delivery.chunks.push(piece);
    if (fields.settled === true) delivery.remoteSettled = true;
    if (fields.more !== true) {
      delivery.partial = false;
      link.current = undefined;
    }
    if (link.streaming || !delivery.partial) link.onDelivery?.(delivery);
  }

  onDisposition(fields: CompositeValue): void {
    const table = fields.role === true ? this.unsettledOut : this.unsettledIn;
    const first = fields.first as number;
    const last = (fields.last as number | undefined) ?? first;
    const state = asDeliveryState(fields.state);
    const settled = fields.settled === true;
    for (let id = first; id <= last; id++) {
      const delivery = table.get(id);
      if (delivery === undefined) continue;
      if (state !== undefined) delivery.remoteState = state;
      if (settled) {
        delivery.remoteSettled = true;
        table.delete(id);
        if (table === this.unsettledOut) countOutcome(delivery.link.stats, delivery.remoteState);
      }
      delivery.onUpdate?.(delivery);
    }
  }

  onDetach(fields: CompositeValue): void {
    const link = this.remoteLinks.get(fields.handle as number);
    if (link === undefined) return;
    this.remoteLinks.delete(fields.handle as number);
    link.remoteDetached(fields.error, true);
    this.links.delete(link.handle);
  }

  /** The session ended (peer's end, or the connection went away): every link is detached. */
  onEnd(error: AmqpError | undefined, reply: boolean): void {
    for (const link of this.links.values()) link.remoteDetached(error, false);
    this.links.clear();
    this.remoteLinks.clear();
    if (reply) this.end();
    this.ended = true;
    this.onEnded?.(this, error);
  }
}

/** Room for a frame header and the first transfer's performative (handle, id, 8-byte tag, ...). */
const TRANSFER_OVERHEAD = 64;

/** Cuts a payload given in pieces into frames' payloads of at most `room` bytes, as views. */
function cutFrames(payload: readonly Buffer[], room: number): Array<readonly Buffer[]> {
  const frames: Buffer[][] = [];
  let frame: Buffer[] = [];
  let frameBytes = 0;
  for (const piece of payload) {
    let at = 0;
    while (at < piece.length) {
      const take = Math.min(piece.length - at, room - frameBytes);
      frame.push(at === 0 && take === piece.length ? piece : piece.subarray(at, at + take));
      at += take;
      frameBytes += take;
      if (frameBytes === room) {
        frames.push(frame);
        frame = [];
        frameBytes = 0;
      }
    }
  }
  if (frameBytes > 0) frames.push(frame);
  return frames;
}
