/**
 * Credit for client sender links (producers), as skupper-router gives it: at most a link capacity
 * of deliveries in flight per link. An unsettled delivery holds its slot until the router settles
 * it (the final receiver's outcome came back, or it was released); a pre-settled one hands its
 * slot back as soon as it is forwarded, because what waits of those is bounded per consumer
 * (consumer-queue.ts). Slots freed while the link's address has nowhere to go are granted again,
 * all at once, when it has.
 *
 *   producer ──transfer──▶ in flight (≤ LINK_CAPACITY) ──forward──▶ consumer, neighbor, edge
 *       ▲                                                               │
 *       └──── flow: one more credit ◀── settled here ◀── outcome ───────┘
 *
 * So a producer whose consumer takes nothing stops after LINK_CAPACITY unsettled messages, and
 * the router holds no more than that for it, however many it wanted to send.
 */
import type { Delivery } from '../amqp/engine/delivery.js';
import type { Link } from '../amqp/engine/link.js';
import type { Forwarder } from './forwarder.js';

/** skupper-router's default link capacity: credit per link, unsettled deliveries in flight. */
export const LINK_CAPACITY = 250;

const TRANSFER_LIMIT_EXCEEDED = 'amqp:link:transfer-limit-exceeded';

/** What management reads of producer credit. */
export interface ProducerCounts {
  /** Unsettled deliveries in flight from a producer link (0 for other links). */
  inFlightOf(link: Link): number;
}

export class ProducerCredit implements ProducerCounts {
  /** Unsettled deliveries in flight, per attached producer link. */
  private readonly inFlight = new Map<Link, Set<Delivery>>();
  /** Producer links whose address had nowhere to go when a slot came free. */
  private readonly starved = new Set<Link>();

  constructor(private readonly forwarder: Forwarder) {}

  /** Takes an attached producer link: forwards what it sends and grants credit as slots free. */
  attach(link: Link): void {
    const target = link.remoteTarget?.address;
    const inFlight = new Set<Delivery>();
    this.inFlight.set(link, inFlight);
    link.onDelivery = (delivery) => {
      if (link.credit < 0) {
        // Sent without credit: the router would have to hold it, and the next, without bound.
        link.detach({ condition: TRANSFER_LIMIT_EXCEEDED, description: `a delivery arrived without credit (link capacity ${LINK_CAPACITY})` });
        return;
      }
      if (delivery.aborted) {
        // The producer gave up on it part way: nothing to forward, and its credit is free again.
        this.grant(link);
        return;
      }
      const unsettled = !delivery.remoteSettled;
      if (unsettled) {
        inFlight.add(delivery);
        // The producer may settle first (it gave up on the outcome): the slot is free then too.
        delivery.onUpdate = (d) => {
          if (d.remoteSettled) this.settled(d);
        };
      }
      this.forwarder.forward({ bytes: delivery.payload(), delivery: unsettled ? delivery : undefined, from: undefined, linkTarget: target, logId: link.logId });
      if (!unsettled) this.grant(link);
    };
    link.detached.add(() => {
      this.inFlight.delete(link);
      this.starved.delete(link);
    });
    if (this.routable(link)) link.flow(LINK_CAPACITY);
    else this.starved.add(link);
  }

  /** An inbound delivery was settled by the router (or by its producer): its slot is free. */
  settled(delivery: Delivery): void {
    if (this.inFlight.get(delivery.link)?.delete(delivery) === true) this.grant(delivery.link);
  }

  /** What is routable may have changed: starved producers whose address now has a way get credit. */
  refresh(): void {
    for (const link of this.starved) {
      if (!this.routable(link)) continue;
      this.starved.delete(link);
      // Absolute credit: capacity minus what is still in flight (grants never exceed that sum).
      if (link.state === 'attached') link.flow(LINK_CAPACITY - (this.inFlight.get(link)?.size ?? 0));
    }
  }

  /** Unsettled deliveries in flight from a producer link (0 for other links). */
  inFlightOf(link: Link): number {
    return this.inFlight.get(link)?.size ?? 0;
  }

  private grant(link: Link): void {
    if (link.state !== 'attached') return;
    if (this.routable(link)) link.addCredit(1);
    else this.starved.add(link);
  }

  private routable(link: Link): boolean {
    const target = link.remoteTarget?.address;
    return target === undefined || this.forwarder.destinations.isRoutable(target);
  }
}
