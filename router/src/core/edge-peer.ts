/**
 * An edge router attached to this interior router: what the interior sends it goes on its
 * downlink (messages) or on stream links of its own on the edge connection (streams). The
 * addresses it has proxy links for are its consumers, as far as the mesh knows. Its sender links
 * for mobile addresses are tracked: it is told on its tracking link whether each address has a
 * destination beyond it, and told again when that changes.
 */
import { Encoder } from '../amqp/codec/encoder.js';
import { encodeMessage } from '../amqp/codec/message.js';
import type { Connection } from '../amqp/engine/connection.js';
import type { Link } from '../amqp/engine/link.js';
import type { PeerSender } from './edge-uplink.js';
import { QueuedSender, StreamLinkPool, type SentCallback } from './link-senders.js';
import type { StreamSink, StreamSource } from './stream.js';

export class EdgePeer implements PeerSender {
  readonly downlink = new QueuedSender();
  /** Addresses the edge has consumers for (its proxy links). */
  readonly proxies = new Set<string>();
  /** The `_$qd.edge_addr_tracking` link the edge attached. */
  readonly tracking = new QueuedSender();
  /**
   * The edge's sender links for mobile addresses and what each was last told. skupper-router's
   * edge binds a sender when told its address is reachable, so each new sender is told too.
   */
  private readonly tracked = new Map<Link, { address: string; told: boolean }>();
  private readonly streams: StreamLinkPool;

  constructor(
    readonly connection: Connection,
    /** The edge router's id. */
    readonly routerId: string,
  ) {
    this.streams = new StreamLinkPool(() => [connection]);
  }

  /** The edge attached `link` to send to `address`: it is told at once if the address is reachable. */
  track(link: Link, address: string, reachable: boolean): void {
    this.tracked.set(link, { address, told: false });
    this.update(link, reachable);
  }

  untrack(link: Link): void {
    this.tracked.delete(link);
  }

  /** Tells the edge about each of its senders whose address became reachable or unreachable. */
  updateAll(reachable: (address: string) => boolean): void {
    for (const [link, entry] of this.tracked) this.update(link, reachable(entry.address));
  }

  private update(link: Link, reachable: boolean): void {
    const entry = this.tracked.get(link);
    if (entry === undefined || entry.told === reachable) return;
    entry.told = reachable;
    const enc = new Encoder(64 + entry.address.length);
    encodeMessage(enc, { header: { durable: false }, body: [`M${entry.address}`, reachable] });
    this.tracking.send(Buffer.from(enc.view()), true);
  }

  send(bytes: Buffer, settled: boolean, done?: SentCallback): void {
    this.downlink.send(bytes, settled, done);
  }

  openStream(head: Buffer, source: StreamSource): StreamSink {
    return this.streams.open(head, source);
  }
}
