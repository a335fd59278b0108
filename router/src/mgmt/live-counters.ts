/**
 * Counters the engine keeps, in the attribute names of skupper-router's operational entities:
 * per link (router.link), per connection (connection) and summed over the router's links
 * (routerMetrics). Skiff does not time deliveries, so the delay and stuck counters stay 0.
 */
import type { Connection } from '../amqp/engine/connection.js';
import type { Link } from '../amqp/engine/link.js';

const seconds = (since: number | undefined, now: number): number | null => (since === undefined ? null : Math.floor((now - since) / 1000));

/** router.link counters of one link. */
export function linkCounters(link: Link): Record<string, number> {
  const s = link.stats;
  return {
    unsettledCount: link.session.unsettledOf(link),
    presettledCount: s.presettled,
    acceptedCount: s.accepted,
    rejectedCount: s.rejected,
    releasedCount: s.released,
    modifiedCount: s.modified,
    deliveriesDelayed1Sec: 0,
    deliveriesDelayed10Sec: 0,
    deliveriesStuck: 0,
    openMovedStreams: 0,
    settleRate: 0,
    zeroCreditSeconds: 0,
  };
}

/** connection attributes skstat -c reads that the engine knows: times, and the peer's open. */
export function connectionAttributes(conn: Connection, now = Date.now()): Record<string, unknown> {
  return {
    uptimeSeconds: seconds(conn.openedAt, now) ?? 0,
    lastDlvSeconds: seconds(conn.lastDeliveryAt, now),
    opened: conn.openedAt !== undefined,
    active: conn.isOpen,
    adminStatus: 'enabled',
    enableProtocolTrace: false,
    sslSsf: 0,
  };
}

/** routerMetrics totals over every link of the given connections. */
export function deliveryTotals(connections: Iterable<Connection>): Record<string, number> {
  const t = { linkCount: 0, presettledDeliveries: 0, acceptedDeliveries: 0, rejectedDeliveries: 0, releasedDeliveries: 0, modifiedDeliveries: 0 };
  for (const conn of connections) {
    for (const session of conn.allSessions()) {
      for (const link of session.links.values()) {
        t.linkCount++;
        t.presettledDeliveries += link.stats.presettled;
        t.acceptedDeliveries += link.stats.accepted;
        t.rejectedDeliveries += link.stats.rejected;
        t.releasedDeliveries += link.stats.released;
        t.modifiedDeliveries += link.stats.modified;
      }
    }
  }
  return t;
}
