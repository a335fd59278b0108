/**
 * Inter-router neighbors, one per peer router, each with its connection group: the control
 * connection (routing protocol, messages) and the data connections that carry its streams, tied
 * together by `qd.group-correlator`. A data connection that opens before its control connection
 * waits for it; a newer control connection from the same router replaces the older one.
 */
import { AmqpMap } from '../amqp/codec/values.js';
import type { Connection } from '../amqp/engine/connection.js';
import type { Session } from '../amqp/engine/session.js';
import { logger } from '../log.js';
import { costOf, groupCorrelatorOf, isDataConnection } from './connection-properties.js';
import type { Forwarder } from './forwarder.js';
import { Neighbor } from './neighbor.js';
import type { ConnectionRecord, RouterHooks } from './router.js';
import { takeDelivery, takeStreamLink } from './stream-intake.js';

const log = logger('ROUTER');

export class NeighborGroups {
  /** Data connections whose group's control connection is not up yet, by correlator. */
  private readonly pendingData = new Map<string, Connection[]>();

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
      const neighbor = [...this.neighbors.values()].find((n) => n.groupCorrelator === correlator);
      if (neighbor !== undefined) neighbor.addDataConnection(conn);
      else if (correlator !== undefined) this.waitForGroup(correlator, conn);
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
    for (const data of this.pendingData.get(correlator ?? '') ?? []) if (data.isOpen) neighbor.addDataConnection(data);
    this.pendingData.delete(correlator ?? '');
    const existing = this.neighbors.get(peerId);
    if (existing !== undefined) existing.close(`replaced by a newer connection from ${peerId}`);
    this.neighbors.set(peerId, neighbor);
    neighbor.onMessage = (n, _kind, delivery) => takeDelivery(this.forwarder, delivery, n);
    if (record.direction === 'out') neighbor.attachLinks();
    else {
      const slots = new Map<Session, number>();
      conn.onSessionBegun = (session) => {
        session.onRemoteAttach = (link) => neighbor.acceptLink(link, slots);
      };
    }
    conn.closed.add(() => {
      if (this.neighbors.get(peerId) === neighbor) this.neighbors.delete(peerId);
      this.hooks.neighborDown?.(neighbor);
    });
    log.info(`[C${record.id}] inter-router link to ${peerId} up (cost ${cost})`);
    this.hooks.neighborUp?.(neighbor);
  }

  /** A data connection waits for its group's control connection, or until it closes. */
  private waitForGroup(correlator: string, conn: Connection): void {
    this.pendingData.set(correlator, [...(this.pendingData.get(correlator) ?? []), conn]);
    conn.closed.add(() => {
      const waiting = (this.pendingData.get(correlator) ?? []).filter((c) => c !== conn);
      if (waiting.length > 0) this.pendingData.set(correlator, waiting);
      else this.pendingData.delete(correlator);
    });
  }
}
