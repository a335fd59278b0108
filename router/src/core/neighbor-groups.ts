/**
 * Inter-router neighbors, one per peer router, each with its connection group: the control
 * connection (routing protocol, messages) and the data connections that carry its streams, tied
 * together by `qd.group-correlator`. The data connections belong to the group, not to one control
 * connection. Each takes the peer's streams as soon as it opens; ours go on it once the group's
 * control connection is up, and when a newer control connection replaces an older one (the peer
 * dialled it again after a blip), on the group's data connections that are still open, as before.
 */
import { AmqpMap } from '../amqp/codec/values.js';
import type { Connection } from '../amqp/engine/connection.js';
import type { Session } from '../amqp/engine/session.js';
import { logger } from '../log.js';
import { costOf, groupCorrelatorOf, isDataConnection } from './connection-properties.js';
import type { Forwarder } from './forwarder.js';
import { acceptStreamLink, Neighbor, type RouterPeer } from './neighbor.js';
import type { ConnectionRecord, RouterHooks } from './router.js';
import { takeDelivery, takeStreamLink } from './stream-intake.js';

const log = logger('ROUTER');

export class NeighborGroups {
  /** The open data connections of each group, by correlator, whether or not its control connection is up. */
  private readonly dataByGroup = new Map<string, Set<Connection>>();

  constructor(
    private readonly routerId: string,
    private readonly forwarder: Forwarder,
    private readonly hooks: RouterHooks,
    /** Neighbors by router id (the forwarder reads the same map). */
    readonly neighbors: Map<string, Neighbor>,
  ) {}

  /** An inter-router connection opened (either side): a neighbor's control connection, or one of its data connections. */
  opened(record: ConnectionRecord, localCost: number, ourCorrelator: string | undefined): void {
    const conn = record.connection;
    const remote = conn.remoteOpen!;
    const props = remote.properties instanceof AmqpMap ? remote.properties : new AmqpMap();
    const correlator = ourCorrelator ?? groupCorrelatorOf(props);
    if (isDataConnection(record.direction === 'out' ? conn.options.properties : props)) {
      record.role = 'inter-router-data';
      // It takes the peer's stream links at once: the peer may count it in the group before its
      // control connection is up here.
      const peer: RouterPeer = { routerId: String(remote.containerId) };
      conn.onSessionBegun = (session) => {
        session.onRemoteAttach = (link) => acceptStreamLink(link, (l) => takeStreamLink(this.forwarder, l, peer));
      };
      if (correlator === undefined) return;
      this.joinGroup(correlator, conn);
      [...this.neighbors.values()].find((n) => n.groupCorrelator === correlator)?.addDataConnection(conn);
      return;
    }
    const peerId = String(remote.containerId);
    if (peerId === this.routerId) {
      conn.close({ condition: 'amqp:connection:forced', description: `peer has our own router id ${peerId}` });
      return;
    }
    const cost = Math.max(localCost, costOf(props) ?? 1);
    const neighbor = new Neighbor(conn, peerId, cost, `C${record.id}`);
    neighbor.groupCorrelator = correlator;
    neighbor.onStreamLink = (n, link) => takeStreamLink(this.forwarder, link, n);
    for (const data of this.dataByGroup.get(correlator ?? '') ?? []) if (data.isOpen) neighbor.addDataConnection(data);
    const existing = this.neighbors.get(peerId);
    if (existing !== undefined) existing.close(`replaced by a newer connection from ${peerId}`);
    this.neighbors.set(peerId, neighbor);
    neighbor.onMessage = (n, _kind, delivery) => takeDelivery(this.forwarder, delivery, n);
    // The connector side attaches the link pairs; the listener side answers them. Either side may
    // attach stream links in sessions of its own: on the control connection when the group has no
    // data connection open (the connector dials none, or they are being dialled again).
    const slots = new Map<Session, number>();
    conn.onSessionBegun = (session) => {
      session.onRemoteAttach = record.direction === 'out' ? (link) => neighbor.acceptStreamLink(link) : (link) => neighbor.acceptLink(link, slots);
    };
    if (record.direction === 'out') neighbor.attachLinks();
    conn.closed.add(() => {
      if (this.neighbors.get(peerId) === neighbor) this.neighbors.delete(peerId);
      this.hooks.neighborDown?.(neighbor);
    });
    log.info(`[C${record.id}] inter-router link to ${peerId} up (cost ${cost})`);
    this.hooks.neighborUp?.(neighbor);
  }

  /** Counts a data connection in its group until it closes. */
  private joinGroup(correlator: string, conn: Connection): void {
    const group = this.dataByGroup.get(correlator) ?? new Set<Connection>();
    this.dataByGroup.set(correlator, group.add(conn));
    conn.closed.add(() => {
      group.delete(conn);
      if (group.size === 0 && this.dataByGroup.get(correlator) === group) this.dataByGroup.delete(correlator);
    });
  }
}
