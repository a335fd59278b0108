/**
 * One inter-router connection, from either end: skupper-router's link layout on it, and sending
 * on it. The connector side attaches, in their own sessions, a control link pair (capability
 * `qd.router`) and one data link pair per priority 0–9 (`qd.router-data`); the listener side
 * answers each attach. Link names are `qdlink.` plus random characters, as skupper-router's.
 */
import type { Connection } from '../amqp/engine/connection.js';
import type { Delivery } from '../amqp/engine/delivery.js';
import type { Link } from '../amqp/engine/link.js';
import type { Session } from '../amqp/engine/session.js';
import { logger } from '../log.js';
import { QueuedSender, StreamLinkPool, randomLinkName, type SentCallback } from './link-senders.js';
import type { StreamSink, StreamSource } from './stream.js';

const log = logger('ROUTER');

export const CAPABILITY_CONTROL = 'qd.router';
export const CAPABILITY_DATA = 'qd.router-data';
export const PRIORITIES = 10;
export const DEFAULT_PRIORITY = 4;
/** Credit a router gives on inter-router links (skupper-router's default link capacity). */
export const INTER_ROUTER_CREDIT = 250;

export type LinkKind = 'control' | 'data';

/** A router we trust to annotate messages: an inter-router neighbor or an edge peer. */
export interface RouterPeer {
  readonly routerId: string;
}

export class Neighbor implements RouterPeer {
  routerId: string;
  /** The `qd.group-correlator` of this neighbor's connection group. */
  groupCorrelator: string | undefined = undefined;
  /** Outgoing links: [0] control, [1 + p] data at priority p. */
  private readonly senders = Array.from({ length: 1 + PRIORITIES }, () => new QueuedSender());
  onMessage: ((neighbor: Neighbor, kind: LinkKind, delivery: Delivery) => void) | undefined = undefined;
  /** The peer attached a link for a stream (no qd.router capability): the router takes it. */
  onStreamLink: ((neighbor: Neighbor, link: Link) => void) | undefined = undefined;
  /** Inter-router-data connections of this neighbor's connection group. */
  readonly dataConnections: Connection[] = [];
  private readonly streams = new StreamLinkPool(() => (this.dataConnections.some((c) => c.isOpen) ? this.dataConnections : [this.connection]));

  constructor(
    readonly connection: Connection,
    routerId: string,
    /** Link cost: the larger of ours and the peer's advertised cost. */
    readonly cost: number,
    readonly linkId: string,
  ) {
    this.routerId = routerId;
    connection.closed.add(() => this.streams.close());
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
      this.acceptStreamLink(link);
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

  /** A link for streams on this (control) connection. */
  acceptStreamLink(link: Link): void {
    acceptStreamLink(link, this.onStreamLink === undefined ? undefined : (l) => this.onStreamLink?.(this, l));
  }

  /**
   * Starts a stream toward this neighbor on a link of its own, spread over the data connections
   * of the group, so one slow stream never holds up another.
   */
  openStream(head: Buffer, source: StreamSource): StreamSink {
    return this.streams.open(head, source);
  }

  /** A data connection of this group is open (either side): streams toward the peer may go on it. */
  addDataConnection(conn: Connection): void {
    this.dataConnections.push(conn);
    conn.closed.add(() => {
      const at = this.dataConnections.indexOf(conn);
      if (at >= 0) this.dataConnections.splice(at, 1);
      this.streams.forget(conn);
    });
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
    this.senders[slot]!.setLink(link);
  }

  /** Sends a message on the control link or the data link of a priority. */
  send(kind: LinkKind, priority: number, bytes: Buffer, settled: boolean, done: SentCallback = () => undefined): void {
    const slot = kind === 'control' ? 0 : 1 + Math.min(Math.max(priority, 0), PRIORITIES - 1);
    this.senders[slot]!.send(bytes, settled, done);
  }

  close(reason: string): void {
    log.info(`${this.connection.logId} closing inter-router connection to ${this.routerId}: ${reason}`);
    this.connection.close({ condition: 'amqp:connection:forced', description: reason });
  }
}

/**
 * The peer router attached a link for streams (no qd.router capability): answered and taken when
 * it sends to us; refused when it would take from us, or when nothing here takes streams.
 */
export function acceptStreamLink(link: Link, take: ((link: Link) => void) | undefined): void {
  if (link.role === 'sender' || take === undefined) {
    link.detach({ condition: 'amqp:not-allowed', description: 'only stream links may be attached here' });
    return;
  }
  link.attach({ sndSettleMode: 2, source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
  take(link);
}

function terminiFor(capability: string, expiryPolicy: string): Parameters<Link['attach']>[0] {
  const terminus = { durable: 0, expiryPolicy, timeout: 0, dynamic: false, capabilities: [capability] };
  return { sndSettleMode: 2, source: terminus, target: terminus };
}
