/**
 * Messages waiting for a local consumer link's credit. Unsettled ones are bounded by their
 * producers' credit (producer-credit.ts); pre-settled ones are not — their producers get credit
 * back at once — so, as skupper-router does, when a pre-settled message comes to a queue that
 * already holds a link capacity of messages, the pre-settled ones waiting there are dropped (and
 * counted) first. A consumer that grants no credit thus costs the router about a link capacity of
 * pre-settled messages plus what its producers have in flight, never more.
 */
import type { Delivery } from '../amqp/engine/delivery.js';
import { LINK_CAPACITY } from './producer-credit.js';

export interface WaitingMessage {
  bytes: Buffer;
  /** The inbound delivery when it is unsettled (its outcome must be reported back). */
  inbound: Delivery | undefined;
}

export class ConsumerQueue {
  private items: WaitingMessage[] = [];
  /** Pre-settled messages dropped from this queue since the link attached. */
  droppedPresettled = 0;

  get length(): number {
    return this.items.length;
  }

  /** Queues a message; returns how many pre-settled messages were dropped to make room. */
  push(message: WaitingMessage): number {
    let dropped = 0;
    if (message.inbound === undefined && this.items.length >= LINK_CAPACITY) {
      const kept = this.items.filter((m) => m.inbound !== undefined);
      dropped = this.items.length - kept.length;
      this.items = kept;
      this.droppedPresettled += dropped;
    }
    this.items.push(message);
    return dropped;
  }

  shift(): WaitingMessage | undefined {
    return this.items.shift();
  }

  /** Empties the queue, returning what waited (the link went away). */
  takeAll(): WaitingMessage[] {
    const all = this.items;
    this.items = [];
    return all;
  }
}
