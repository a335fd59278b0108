/**
 * An edge router attached to this interior router: what the interior sends it goes on its
 * downlink (messages) or on stream links of its own on the edge connection (streams). The
 * addresses it has proxy links for are its consumers, as far as the mesh knows.
 */
import type { Connection } from '../amqp/engine/connection.js';
import type { PeerSender } from './edge-uplink.js';
import { QueuedSender, StreamLinkPool, type SentCallback } from './link-senders.js';
import type { StreamSink, StreamSource } from './stream.js';

export class EdgePeer implements PeerSender {
  readonly downlink = new QueuedSender();
  /** Addresses the edge has consumers for (its proxy links). */
  readonly proxies = new Set<string>();
  private readonly streams: StreamLinkPool;

  constructor(
    readonly connection: Connection,
    /** The edge router's id. */
    readonly routerId: string,
  ) {
    this.streams = new StreamLinkPool(() => [connection]);
  }

  send(bytes: Buffer, settled: boolean, done?: SentCallback): void {
    this.downlink.send(bytes, settled, done);
  }

  openStream(head: Buffer, source: StreamSource): StreamSink {
    return this.streams.open(head, source);
  }
}
