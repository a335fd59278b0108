/**
 * Two ways routers send toward a peer router, shared by inter-router neighbors and edge uplinks:
 * a sender link whose messages wait in order for its attach and credit, and a pool of links for
 * streams (one stream per link at a time, links reused once their stream is settled).
 */
import { randomBytes } from 'node:crypto';
import type { Connection } from '../amqp/engine/connection.js';
import type { Delivery } from '../amqp/engine/delivery.js';
import type { Link } from '../amqp/engine/link.js';
import type { Session } from '../amqp/engine/session.js';
import { LinkStreamSink, type StreamSink, type StreamSource } from './stream.js';

export function randomLinkName(): string {
  return `qdlink.${randomBytes(12).toString('base64').replace(/\//g, '_').slice(0, 15)}`;
}

/** A terminus without address or capabilities, as skupper-router attaches its anonymous links. */
export const ANONYMOUS_TERMINUS = { durable: 0, expiryPolicy: 'link-detach', timeout: 0, dynamic: false } as const;

/** Told the delivery a message went out as, or undefined when its link went away first. */
export type SentCallback = (d: Delivery | undefined) => void;

interface Queued {
  bytes: Buffer;
  settled: boolean;
  done: SentCallback;
}

/**
 * Sends on a link as credit allows; what arrives before the link or its credit waits in order.
 * When the link goes, what waited is handed back (`done(undefined)`) so its senders learn of it.
 */
export class QueuedSender {
  private link: Link | undefined = undefined;
  /** The link went away and no other took its place: nothing can be sent. */
  private gone = false;
  private readonly pending: Queued[] = [];

  setLink(link: Link): void {
    this.link = link;
    this.gone = false;
    link.onCredit = () => this.drain();
    link.detached.add(() => {
      if (this.link !== link) return;
      this.link = undefined;
      this.gone = true;
      for (const item of this.pending.splice(0)) item.done(undefined);
    });
  }

  send(bytes: Buffer, settled: boolean, done: SentCallback = () => undefined): void {
    if (this.gone) return done(undefined);
    const link = this.link;
    if (link !== undefined && link.credit > 0 && this.pending.length === 0) {
      done(link.send(bytes, { settled }));
      return;
    }
    this.pending.push({ bytes, settled, done });
  }

  private drain(): void {
    const link = this.link;
    while (link !== undefined && link.credit > 0 && this.pending.length > 0) {
      const next = this.pending.shift()!;
      next.done(link.send(next.bytes, { settled: next.settled }));
    }
  }
}

/**
 * Idle stream links kept per peer. A burst of 10,000 connections leaves 10,000 links behind;
 * keeping them all held memory and slowed the router's garbage collection for good.
 */
const MAX_IDLE_LINKS = 128;

/**
 * Links for streams toward one peer: idle links are reused (up to MAX_IDLE_LINKS, the rest are
 * detached); new ones are attached, in one session per connection, on the next of the given
 * connections (round robin).
 */
export class StreamLinkPool {
  private readonly sessions = new Map<Connection, Session>();
  private readonly idle: Link[] = [];
  private next = 0;
  /** The neighbor is gone: links its streams leave are detached, not kept. */
  private closed = false;

  /** `connections` lists where stream links may go now (data connections, or the main one). */
  constructor(private readonly connections: () => readonly Connection[]) {}

  open(head: Buffer, source: StreamSource): StreamSink {
    const link = this.take();
    if (link === undefined) {
      // The peer's connections are all gone: the stream fails at once rather than waiting forever.
      source.update({ $type: 'modified', deliveryFailed: true }, true);
      return { write: () => undefined, end: () => undefined, abort: () => undefined };
    }
    return new LinkStreamSink(link, head, source, (link) => {
      if (link.state !== 'attached' || !link.session.connection.isOpen) return;
      if (!this.closed && this.idle.length < MAX_IDLE_LINKS) this.idle.push(link);
      else link.detach();
    });
  }

  /**
   * The neighbor's control connection closed. Its data connections may stay open for the next
   * control connection of the group, which opens links of its own: this pool's idle links are
   * detached, and so are those its streams still in flight leave.
   */
  close(): void {
    this.closed = true;
    for (const link of this.idle.splice(0)) if (link.state === 'attached' && link.session.connection.isOpen) link.detach();
  }

  forget(conn: Connection): void {
    this.sessions.delete(conn);
  }

  private take(): Link | undefined {
    while (this.idle.length > 0) {
      const link = this.idle.pop()!;
      if (link.state === 'attached' && link.session.connection.isOpen) return link;
    }
    const open = this.connections().filter((c) => c.isOpen);
    if (open.length === 0) return undefined;
    const conn = open[this.next++ % open.length]!;
    let session = this.sessions.get(conn);
    if (session === undefined || session.ended) {
      session = conn.beginSession();
      this.sessions.set(conn, session);
    }
    const link = session.createLink(randomLinkName(), 'sender');
    link.attach({ sndSettleMode: 2, source: ANONYMOUS_TERMINUS, target: ANONYMOUS_TERMINUS });
    return link;
  }
}
