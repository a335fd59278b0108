/**
 * Builds the /metrics snapshot from what management already knows: the routerMetrics provider
 * for router-wide values and the tcpListener/tcpConnector entities (with their live counters) for
 * the per-adaptor series. One source of truth for skstat and Prometheus.
 */
import type { AmqpValue } from '../amqp/codec/values.js';
import { findEntityType } from '../config/schema.js';
import type { MetricsSnapshot, RouterMetricValues, TcpAdaptorCounters } from './prometheus.js';
import type { EntityRegistry } from './registry.js';
import { plainOf, type ManagedAttributes, type ManagedValue } from './wire-values.js';

/** A number from a plain or AMQP-typed attribute value; 0 when absent. */
function count(value: ManagedValue | undefined): number {
  const plain = plainOf(value as AmqpValue | undefined);
  return typeof plain === 'number' && Number.isFinite(plain) ? plain : 0;
}

function adaptorCounters(entity: ManagedAttributes): TcpAdaptorCounters {
  return {
    name: String(entity.name ?? ''),
    address: String(entity.address ?? ''),
    connectionsOpened: count(entity.connectionsOpened),
    connectionsClosed: count(entity.connectionsClosed),
    bytesIn: count(entity.bytesIn),
    bytesOut: count(entity.bytesOut),
  };
}

export function metricsFromRegistry(registry: EntityRegistry): MetricsSnapshot {
  const list = (type: string): readonly ManagedAttributes[] => {
    const spec = findEntityType(type);
    return spec === undefined ? [] : registry.list(spec);
  };
  const router: Record<string, number> = {};
  for (const [name, value] of Object.entries(list('routerMetrics')[0] ?? {})) {
    const plain = plainOf(value as AmqpValue | undefined);
    if (typeof plain === 'number') router[name] = plain;
  }
  return {
    router: router as RouterMetricValues,
    tcpListeners: list('tcpListener').map(adaptorCounters),
    tcpConnectors: list('tcpConnector').map(adaptorCounters),
  };
}
