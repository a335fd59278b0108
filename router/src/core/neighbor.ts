/**
 * One inter-router connection, from either end: skupper-router's link layout on it, and sending
 * on it. The connector side attaches, in their own sessions, a control link pair (capability
 * `qd.router`) and one data link pair per priority 0–9 (`qd.router-data`); the listener side
 * answers each attach. Link names are `qdlink.` plus random characters, as skupper-router's.
 */
import { randomBytes } from 'node:crypto';
import type { Connection } from '../amqp/engine/connection.js';
import type { Delivery } from '../amqp/engine/delivery.js';
import type { Link } from '../amqp/engine/link.js';
import type { Session } from '../amqp/engine/session.js';
import { logger } from '../log.js';

const log = logger('ROUTER');

export const CAPABILITY_CONTROL = 'qd.router';
export const CAPABILITY_DATA = 'qd.router-data';
export const PRIORITIES = 10;
export const DEFAULT_PRIORITY = 4;
/** Credit a router gives on inter-router links (skupper-router's default link capacity). */
export const INTER_ROUTER_CREDIT = 250;

export type LinkKind = 'control' | 'data';

export function randomLinkName(): string {
  return `qdlink.${randomBytes(12).toString('base64').replace(/\//g, '_').slice(0, 15)}`;
}

export class Neighbor {
  routerId: string;
  /** Outgoing links: [0] control, [1 + p] data at priority p. */
  private readonly outgoing: Array<Link | undefined> = new Array<Link | undefined>(1 + PRIORITIES).fill(undefined);
  /** Messages that waited for an outgoing link's attach or credit. */
  private readonly pending: Array<Array<{ bytes: Buffer; settled: boolean; done: (d: Delivery) => void }>> = Array.from(
    { length: 1 + PRIORITIES },
    () => [],
  );
  onMessage: ((neighbor: Neighbor, kind: LinkKind, delivery: Delivery) => void) | undefined = undefined;

  constructor(
    readonly connection: Connection,
    routerId: string,
    /** Link cost: the larger of ours and the peer's advertised cost. */
    readonly cost: number,
    readonly linkId: string,
  ) {
    this.routerId = routerId;
  }

  /** Connector side: begins the sessions and attaches every link pair. */
  attachLinks(): void {
    this.attachPair(this.connection.beginSession(), 'control', 0);
    for (let p = 0; p < PRIORITIES; p++) this.attachPair(this.connection.beginSession(), 'data', 1 + p);
  }

  private attachPair(session: Session, kind: LinkKind, slot: number): void {
    const capability = kind === 'control' ? CAPABILITY_CONTROL : CAPABILITY_DATA;
    for (const role of ['receiver', 'sender'] as const) {
      const link = session.createLink(randomLinkName(), role);
      this.adopt(link, kind, slot);
      link.attach(terminiFor(capability, 'link-detach'));
    }
  }

  /** Listener side: the peer attached a link on a session it began. */
  acceptLink(link: Link, slotBySession: Map<Session, number>): void {
    const caps = link.remoteCapabilities();
    const kind: LinkKind | undefined = caps.includes(CAPABILITY_CONTROL) ? 'control' : caps.includes(CAPABILITY_DATA) ? 'data' : undefined;
    if (kind === undefined) {
      link.detach({ condition: 'amqp:not-allowed', description: 'inter-router links need capability qd.router or qd.router-data' });
      return;
    }
    let slot = slotBySession.get(link.session);
    if (slot === undefined) {
      // Control first, then data sessions in priority order, as the connector side begins them.
      slot = kind === 'control' ? 0 : 1 + [...slotBySession.values()].filter((s) => s > 0).length;
      slotBySession.set(link.session, slot);
    }
    this.adopt(link, kind, slot);
    link.attach(terminiFor(kind === 'control' ? CAPABILITY_CONTROL : CAPABILITY_DATA, 'session-end'));
  }

  private adopt(link: Link, kind: LinkKind, slot: number): void {
    if (link.role === 'receiver') {
      link.onDelivery = (delivery) => {
        this.onMessage?.(this, kind, delivery);
        if (!delivery.partial) link.addCredit(1);
      };
      link.onAttached = () => link.flow(INTER_ROUTER_CREDIT);
      if (link.state === 'attach-received') queueMicrotask(() => link.flow(INTER_ROUTER_CREDIT));
      return;
    }
    this.outgoing[slot] = link;
    link.onCredit = () => this.drain(slot);
  }

  /** Sends a message on the control link or the data link of a priority. */
  send(kind: LinkKind, priority: number, bytes: Buffer, settled: boolean, done: (d: Delivery) => void = () => undefined): void {
    const slot = kind === 'control' ? 0 : 1 + Math.min(Math.max(priority, 0), PRIORITIES - 1);
    const link = this.outgoing[slot];
    if (link !== undefined && link.credit > 0 && this.pending[slot]!.length === 0) {
      done(link.send(bytes, { settled }));
      return;
    }
    this.pending[slot]!.push({ bytes, settled, done });
  }

  private drain(slot: number): void {
    const link = this.outgoing[slot];
    const queue = this.pending[slot]!;
    while (link !== undefined && link.credit > 0 && queue.length > 0) {
      const next = queue.shift()!;
      next.done(link.send(next.bytes, { settled: next.settled }));
    }
  }

  close(reason: string): void {
    log.info(`${this.connection.logId} closing inter-router connection to ${this.routerId}: ${reason}`);
    this.connection.close({ condition: 'amqp:connection:forced', description: reason });
  }
}

function terminiFor(capability: string, expiryPolicy: string): Parameters<Link['attach']>[0] {
  const terminus = { durable: 0, expiryPolicy, timeout: 0, dynamic: false, capabilities: [capability] };
  return { sndSettleMode: 2, source: terminus, target: terminus };
}
