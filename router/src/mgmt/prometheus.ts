/**
 * Renders router metrics in the Prometheus text format (version 0.0.4). Router-wide metrics keep
 * skupper-router's names (`qdr_connections_total`, ...) so dashboards built for it keep working;
 * per tcpListener/tcpConnector counters are Skiff's own, labelled by entity type, name and address.
 */

/** Router-wide values by routerMetrics attribute name (connectionCount, acceptedDeliveries, ...). */
export type RouterMetricValues = Readonly<Partial<Record<string, number>>>;

export interface TcpAdaptorCounters {
  name: string;
  address: string;
  connectionsOpened: number;
  connectionsClosed: number;
  bytesIn: number;
  bytesOut: number;
}

export interface MetricsSnapshot {
  router: RouterMetricValues;
  tcpListeners: readonly TcpAdaptorCounters[];
  tcpConnectors: readonly TcpAdaptorCounters[];
}

type MetricType = 'counter' | 'gauge';

/** skupper-router's exported names for routerMetrics attributes (src/http-libwebsockets.c). */
const ROUTER_METRICS: ReadonlyArray<readonly [attribute: string, name: string, type: MetricType]> = [
  ['connectionCount', 'qdr_connections_total', 'gauge'],
  ['linkCount', 'qdr_links_total', 'gauge'],
  ['addrCount', 'qdr_addresses_total', 'gauge'],
  ['nodeCount', 'qdr_routers_total', 'gauge'],
  ['presettledDeliveries', 'qdr_presettled_deliveries_total', 'counter'],
  ['droppedPresettledDeliveries', 'qdr_dropped_presettled_deliveries_total', 'counter'],
  ['acceptedDeliveries', 'qdr_accepted_deliveries_total', 'counter'],
  ['releasedDeliveries', 'qdr_released_deliveries_total', 'counter'],
  ['rejectedDeliveries', 'qdr_rejected_deliveries_total', 'counter'],
  ['modifiedDeliveries', 'qdr_modified_deliveries_total', 'counter'],
  ['deliveriesIngress', 'qdr_deliveries_ingress_total', 'counter'],
  ['deliveriesEgress', 'qdr_deliveries_egress_total', 'counter'],
  ['deliveriesTransit', 'qdr_deliveries_transit_total', 'counter'],
  ['deliveriesDelayed1Sec', 'qdr_deliveries_delayed_1sec_total', 'counter'],
  ['deliveriesDelayed10Sec', 'qdr_deliveries_delayed_10sec_total', 'counter'],
  ['deliveriesStuck', 'qdr_deliveries_stuck_total', 'gauge'],
  ['linksBlocked', 'qdr_links_blocked_total', 'gauge'],
  ['uptimeSeconds', 'skiff_router_uptime_seconds', 'gauge'],
];

const TCP_METRICS: ReadonlyArray<readonly [field: keyof Omit<TcpAdaptorCounters, 'name' | 'address'>, name: string, help: string]> = [
  ['connectionsOpened', 'skiff_tcp_connections_opened_total', 'TCP connections opened'],
  ['connectionsClosed', 'skiff_tcp_connections_closed_total', 'TCP connections closed'],
  ['bytesIn', 'skiff_tcp_bytes_in_total', 'bytes received from TCP peers'],
  ['bytesOut', 'skiff_tcp_bytes_out_total', 'bytes sent to TCP peers'],
];

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Label values escape backslash, double quote and newline, as the format requires. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(record: Readonly<Record<string, string>>): string {
  return `{${Object.entries(record).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

export function renderMetrics(snapshot: MetricsSnapshot): string {
  const lines: string[] = [];
  for (const [attribute, name, type] of ROUTER_METRICS) {
    const value = snapshot.router[attribute];
    if (value === undefined) continue;
    lines.push(`# TYPE ${name} ${type}`, `${name} ${value}`);
  }
  const adaptors = [
    ...snapshot.tcpListeners.map((c) => ({ type: 'tcpListener', c })),
    ...snapshot.tcpConnectors.map((c) => ({ type: 'tcpConnector', c })),
  ];
  if (adaptors.length > 0) {
    for (const [field, name, help] of TCP_METRICS) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const { type, c } of adaptors) lines.push(`${name}${labels({ type, name: c.name, address: c.address })} ${c[field]}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
