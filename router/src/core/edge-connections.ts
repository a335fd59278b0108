/**
 * Edge connections, from both ends. On an edge router: uplinks to interior routers, one active at
 * a time (the first up); when it goes, the next one that is up takes over and re-announces the
 * edge's addresses. On an interior router: attached edges, whose links it sorts into downlink,
 * proxies (consumers of the edge's addresses), anonymous senders and the mesh-discovery and
 * address-tracking links.
 */
import type { Connection } from '../amqp/engine/connection.js';
import type { Link } from '../amqp/engine/link.js';
import { logger } from '../log.js';
import { EdgePeer } from './edge-peer.js';
import { EDGE_ADDRESS_TRACKING, EDGE_DOWNLINK, EdgeUplink, MESH_DISCOVERY } from './edge-uplink.js';
import { classifyAddress } from './addresses.js';
import { edgeKey } from './destinations.js';
import type { Forwarder } from './forwarder.js';
import { takeStreamLink } from './stream-intake.js';
import type { ClientLinks } from './client-links.js';

const log = logger('ROUTER');
const DISCOVERY_CREDIT = 10;

export interface EdgeHost {
  readonly id: string;
  readonly forwarder: Forwarder;
  /** Mobile addresses with consumers on this router now. */
  localAddresses(): Iterable<string>;
  /** A mobile address gained its first or lost its last consumer (interior: tell the mesh). */
  announce(address: string, added: boolean): void;
  /** An edge's proxy links are consumers here, like a client's receivers. */
  readonly clientLinks: ClientLinks;
  /** Called when what is routable may have changed. */
  readonly routabilityWatchers: Set<() => void>;
  /** What is routable may have changed: tell the watchers and the producers. */
  routabilityChanged(): void;
}

export class EdgeConnections {
  private readonly uplinks: EdgeUplink[] = [];

  constructor(private readonly host: EdgeHost) {
    host.routabilityWatchers.add(() => this.updateTracking());
  }

  // ---- edge side ------------------------------------------------------------------------------

  /** An uplink connection to an interior opened. */
  uplinkOpened(conn: Connection, interiorId: string): void {
    const uplink = new EdgeUplink(
      conn,
      interiorId,
      this.host.id,
      (link, from) => takeStreamLink(this.host.forwarder, link, from),
      () => this.host.routabilityChanged(),
    );
    this.uplinks.push(uplink);
    conn.onSessionBegun = (session) => {
      // The interior opens stream links toward us on the uplink connection.
      session.onRemoteAttach = (link) => {
        if (link.role === 'sender') return link.detach({ condition: 'amqp:not-allowed', description: 'an edge takes no consumers from its uplink' });
        link.attach({ sndSettleMode: 2, source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
        takeStreamLink(this.host.forwarder, link, uplink);
      };
    };
    conn.closed.add(() => {
      this.uplinks.splice(this.uplinks.indexOf(uplink), 1);
      if (this.host.forwarder.tables.uplink === uplink) this.activateNext();
    });
    if (this.host.forwarder.tables.uplink === undefined) this.activate(uplink);
  }

  private activate(uplink: EdgeUplink): void {
    this.host.forwarder.tables.setUplink(uplink);
    uplink.start(this.host.localAddresses());
    log.info(`${uplink.connection.logId} edge uplink to ${uplink.routerId} active`);
    this.host.routabilityChanged();
  }

  private activateNext(): void {
    this.host.forwarder.tables.setUplink(undefined);
    const next = this.uplinks.find((u) => u.connection.isOpen);
    if (next !== undefined) this.activate(next);
    else {
      log.info('no edge uplink is up; waiting for a connector to reach an interior router');
      this.host.routabilityChanged();
    }
  }

  /** Edge mode: a local address changed; the active uplink's proxies follow. */
  localAddressChanged(address: string, added: boolean): void {
    const uplink = this.host.forwarder.tables.uplink;
    if (!(uplink instanceof EdgeUplink)) return;
    if (added) uplink.addProxy(address);
    else uplink.removeProxy(address);
  }

  // ---- interior side ------------------------------------------------------------------------------

  /** An edge router connected to this interior. */
  edgeAttached(conn: Connection, edgeId: string): void {
    const peer = new EdgePeer(conn, edgeId);
    this.host.forwarder.tables.addEdge(peer);
    this.host.announce(edgeKey(edgeId), true);
    conn.onSessionBegun = (session) => {
      session.onRemoteAttach = (link) => this.acceptEdgeLink(link, peer);
    };
    conn.closed.add(() => {
      if (this.host.forwarder.tables.removeEdge(peer)) this.host.announce(edgeKey(edgeId), false);
    });
    log.info(`${conn.logId} edge router ${edgeId} attached`);
  }

  private acceptEdgeLink(link: Link, peer: EdgePeer): void {
    const source = link.remoteSource?.address;
    const target = link.remoteTarget?.address;
    if (link.role === 'sender') {
      if (link.remoteCapabilities().includes(EDGE_DOWNLINK)) {
        link.attach({ sndSettleMode: 2, source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
        peer.downlink.setLink(link);
      } else if (source === EDGE_ADDRESS_TRACKING) {
        link.attach({ sndSettleMode: 2, source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
        peer.tracking.setLink(link);
      } else {
        // A proxy: the edge has consumers for this address.
        if (source === undefined) return this.host.clientLinks.attachConsumer(link, true);
        peer.proxies.add(source);
        link.detached.add(() => peer.proxies.delete(source));
        this.host.clientLinks.attachConsumer(link, true);
      }
      return;
    }
    if (target === MESH_DISCOVERY) {
      link.attach({ sndSettleMode: 2, source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
      link.onDelivery = (d) => {
        if (!d.partial) d.accept();
      };
      link.flow(DISCOVERY_CREDIT);
    } else if (target === undefined) {
      link.attach({ sndSettleMode: 2, source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
      takeStreamLink(this.host.forwarder, link, peer);
    } else {
      // A sender for an address (skupper-router's edges send on it what has that address, with
      // their router annotations): the edge's, like its anonymous sender's. For a mobile address
      // the edge is told whether it is reachable.
      link.attach({ sndSettleMode: 2, source: link.remoteSource ?? null, target: link.remoteTarget ?? null });
      takeStreamLink(this.host.forwarder, link, peer);
      const c = classifyAddress(target, this.host.id);
      if (c.kind !== 'mobile') return;
      peer.track(link, c.name, this.host.forwarder.destinations.reachableBeyond(c.name, peer.connection));
      link.detached.add(() => peer.untrack(link));
    }
  }

  /** Interior mode: tells each edge about the tracked addresses whose reachability changed. */
  private updateTracking(): void {
    const forwarder = this.host.forwarder;
    for (const peer of forwarder.tables.edges.values()) peer.updateAll((address) => forwarder.destinations.reachableBeyond(address, peer.connection));
  }
}
