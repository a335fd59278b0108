/**
 * An edge router's uplink to its interior router (§c.4, recorded in edge/uplink.jsonl). The edge
 * runs no link state: it attaches, on one session, a `_$qd.mesh_discovery` sender (announcing a
 * mesh id), an anonymous sender for everything it cannot deliver itself, a downlink receiver
 * (source = its own id, capability qd.router-edge-downlink) for traffic the interior routes to
 * it, an `_$qd.edge_addr_tracking` receiver, and one proxy receiver per address with local
 * consumers — which makes the interior, and through it the whole mesh, see those consumers.
 * For each mobile address the edge sends to (a producer, a tcpListener) it attaches a sender
 * with that target; the interior then says on the tracking link whether the address has a
 * destination beyond this edge ([hash key "M<address>", reachable]), and only then is the address
 * routable here, as on a skupper-router edge.
 */
import { randomBytes } from 'node:crypto';
import type { Connection } from '../amqp/engine/connection.js';
import type { Link } from '../amqp/engine/link.js';
import type { Session } from '../amqp/engine/session.js';
import { Encoder } from '../amqp/codec/encoder.js';
import { decodeMessage, encodeMessage } from '../amqp/codec/message.js';
import { AmqpMap } from '../amqp/codec/values.js';
import { ANONYMOUS_TERMINUS, QueuedSender, StreamLinkPool, randomLinkName, type SentCallback } from './link-senders.js';
import type { RouterPeer } from './neighbor.js';
import type { StreamSink, StreamSource } from './stream.js';

export const EDGE_DOWNLINK = 'qd.router-edge-downlink';
export const MESH_DISCOVERY = '_$qd.mesh_discovery';
export const EDGE_ADDRESS_TRACKING = '_$qd.edge_addr_tracking';
const TRACKING_CREDIT = 250;

/** A router the forwarder can hand messages and streams to when it has no route of its own. */
export interface PeerSender extends RouterPeer {
  send(bytes: Buffer, settled: boolean, done?: SentCallback): void;
  openStream(head: Buffer, source: StreamSource): StreamSink;
}

/** An edge's way to the mesh: a peer that also knows which mobile addresses are reachable. */
export interface Uplink extends PeerSender {
  reachable(address: string): boolean;
}

export class EdgeUplink implements Uplink {
  private readonly sender = new QueuedSender();
  private readonly streams: StreamLinkPool;
  private readonly proxies = new Map<string, Link>();
  /** Senders whose targets the interior tracks for us, by address. */
  private readonly tracked = new Map<string, Link>();
  /** Addresses the interior said have a destination beyond this edge. */
  private readonly reachableAddresses = new Set<string>();
  private session: Session | undefined = undefined;

  constructor(
    readonly connection: Connection,
    /** The interior router's id. */
    readonly routerId: string,
    private readonly edgeId: string,
    /** Takes deliveries arriving on a receiving link (messages and streams). */
    private readonly intake: (link: Link, from: EdgeUplink) => void,
    /** The interior changed what is reachable. */
    private readonly onReachability: () => void,
  ) {
    this.streams = new StreamLinkPool(() => [connection]);
  }

  start(addresses: Iterable<string>): void {
    const session = this.connection.beginSession();
    this.session = session;
    const discovery = session.createLink(randomLinkName(), 'sender');
    discovery.attach({ source: ANONYMOUS_TERMINUS, target: { ...ANONYMOUS_TERMINUS, address: MESH_DISCOVERY } });
    discovery.onCredit = (link) => {
      link.onCredit = undefined;
      link.send(meshIdMessage(), { settled: true });
    };
    const out = session.createLink(randomLinkName(), 'sender');
    out.attach({ source: ANONYMOUS_TERMINUS, target: ANONYMOUS_TERMINUS });
    this.sender.setLink(out);
    const down = session.createLink(randomLinkName(), 'receiver');
    down.attach({
      source: { ...ANONYMOUS_TERMINUS, address: this.edgeId, capabilities: [EDGE_DOWNLINK] },
      target: { ...ANONYMOUS_TERMINUS, capabilities: [EDGE_DOWNLINK] },
    });
    this.intake(down, this);
    const tracking = session.createLink(randomLinkName(), 'receiver');
    tracking.attach({ source: { ...ANONYMOUS_TERMINUS, address: EDGE_ADDRESS_TRACKING }, target: ANONYMOUS_TERMINUS });
    tracking.onDelivery = (d) => {
      if (d.partial) return;
      const update = trackingUpdate(d.payload());
      if (update === undefined) d.update({ $type: 'rejected', error: { condition: 'amqp:decode-error', description: 'an address tracking update is a list [address, reachable]' } }, true);
      else d.accept();
      tracking.addCredit(1);
      if (update === undefined || update.reachable === this.reachableAddresses.has(update.address)) return;
      if (update.reachable) this.reachableAddresses.add(update.address);
      else this.reachableAddresses.delete(update.address);
      this.onReachability();
    };
    tracking.flow(TRACKING_CREDIT);
    for (const address of addresses) this.addProxy(address);
  }

  /**
   * Whether the interior said `address` has a destination beyond this edge. The first question
   * about an address attaches a sender for it, which is what makes the interior track it.
   */
  reachable(address: string): boolean {
    if (this.session !== undefined && !this.tracked.has(address)) {
      const link = this.session.createLink(randomLinkName(), 'sender');
      link.attach({ source: ANONYMOUS_TERMINUS, target: { ...ANONYMOUS_TERMINUS, address } });
      this.tracked.set(address, link);
    }
    return this.reachableAddresses.has(address);
  }

  /** The edge has consumers for `address`: the interior gets a consumer link for it. */
  addProxy(address: string): void {
    if (this.session === undefined || this.proxies.has(address)) return;
    const link = this.session.createLink(randomLinkName(), 'receiver');
    link.attach({ source: { ...ANONYMOUS_TERMINUS, address }, target: ANONYMOUS_TERMINUS });
    this.proxies.set(address, link);
    this.intake(link, this);
  }

  removeProxy(address: string): void {
    this.proxies.get(address)?.detach();
    this.proxies.delete(address);
  }

  send(bytes: Buffer, settled: boolean, done?: SentCallback): void {
    this.sender.send(bytes, settled, done);
  }

  openStream(head: Buffer, source: StreamSource): StreamSink {
    return this.streams.open(head, source);
  }
}

/** An interior's tracking message: an amqp-value list [hash key "M<address>", reachable]. */
function trackingUpdate(bytes: Buffer): { address: string; reachable: boolean } | undefined {
  let body;
  try {
    body = decodeMessage(bytes).body;
  } catch {
    return undefined;
  }
  if (!Array.isArray(body) || body.length !== 2) return undefined;
  const [key, reachable] = body;
  if (typeof key !== 'string' || !key.startsWith('M') || typeof reachable !== 'boolean') return undefined;
  return { address: key.slice(1), reachable };
}

function meshIdMessage(): Buffer {
  const enc = new Encoder(64);
  encodeMessage(enc, { applicationProperties: AmqpMap.withStringKeys({ meshid: randomBytes(12).toString('base64').slice(0, 15) }) });
  return Buffer.from(enc.view());
}
