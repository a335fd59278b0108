import { describe, expect, it } from 'vitest';
import { Typed } from '../../router/src/amqp/codec/values.js';
import { buildRouterConfig } from '../../router/src/config/load.js';
import { metricsFromRegistry } from '../../router/src/mgmt/metrics-snapshot.js';
import { renderMetrics } from '../../router/src/mgmt/prometheus.js';
import { createRouterRegistry } from '../../router/src/mgmt/router-registry.js';

describe('mgmt metrics-snapshot - /metrics from the management registry', () => {
  const config = buildRouterConfig(
    [
      ['router', { id: 'A', mode: 'interior' }],
      ['tcpListener', { name: 'web-in', port: 9000, address: 'web' }],
      ['tcpListener', { name: 'db-in', port: 9001, address: 'db' }],
      ['tcpConnector', { name: 'web-out', host: 'web.local', port: 80, address: 'web' }],
    ],
    'A.json',
  );
  const { registry } = createRouterRegistry(
    config,
    {
      tcpListener: { operational: (s) => (s.name === 'web-in' ? { connectionsOpened: 4, connectionsClosed: 3, bytesIn: 100, bytesOut: 200 } : {}) },
      tcpConnector: { operational: () => ({ connectionsOpened: new Typed('ulong', 4), bytesIn: 200 }) },
    },
    { routerMetrics: () => [{ identity: '1', id: 'A', connectionCount: 3, linkCount: new Typed('ulong', 12), version: '0.1.0' }] },
  );

  it('takes router-wide numbers from routerMetrics and counters from the TCP entities', () => {
    expect(metricsFromRegistry(registry)).toEqual({
      router: { connectionCount: 3, linkCount: 12 },
      tcpListeners: [
        { name: 'web-in', address: 'web', connectionsOpened: 4, connectionsClosed: 3, bytesIn: 100, bytesOut: 200 },
        { name: 'db-in', address: 'db', connectionsOpened: 0, connectionsClosed: 0, bytesIn: 0, bytesOut: 0 },
      ],
      tcpConnectors: [{ name: 'web-out', address: 'web', connectionsOpened: 4, connectionsClosed: 0, bytesIn: 200, bytesOut: 0 }],
    });
  });

  it('renders them in the Prometheus format', () => {
    const text = renderMetrics(metricsFromRegistry(registry));
    expect(text).toContain('qdr_links_total 12\n');
    expect(text).toContain('skiff_tcp_connections_opened_total{type="tcpConnector",name="web-out",address="web"} 4\n');
  });

  it('gives an empty snapshot for a router without those providers', () => {
    const { registry: bare } = createRouterRegistry(buildRouterConfig([], 'empty.json'));
    expect(metricsFromRegistry(bare)).toEqual({ router: {}, tcpListeners: [], tcpConnectors: [] });
    expect(renderMetrics(metricsFromRegistry(bare))).toBe('');
  });
});
