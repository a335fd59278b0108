import { describe, expect, it } from 'vitest';
import type { SiteState } from '../../cli/src/site/site-state.js';
import { siteReport } from '../../cli/src/sync/site-report.js';

describe('site bindings - a local site reports its listeners and connectors by routing key', () => {
  it('lists per routing key the tcpListeners and tcpConnectors the site runs, sorted', () => {
    const state = {
      id: 'w', name: 'west', routerId: 'west-1', mode: 'interior', links: [],
      services: [{ name: 'hello', address: 'hello', host: '127.0.0.1', port: 7000 }],
      exposed: [
        { name: 'hello@10.0.0.2:80', address: 'hello', host: '10.0.0.2', port: 80 },
        { name: 'hello@10.0.0.1:80', address: 'hello', host: '10.0.0.1', port: 80 },
        { name: 'db@db:5432', address: 'db', host: 'db', port: 5432 },
      ],
    } as unknown as SiteState;
    const synced = { name: 'api:8080', address: 'api:8080', host: '127.0.0.1', port: 20001 };
    expect(siteReport(state, [], [...state.services, synced]).bindings).toEqual([
      { routingKey: 'api:8080', listeners: ['api:8080'], connectors: [] },
      { routingKey: 'db', listeners: [], connectors: ['db@db:5432'] },
      { routingKey: 'hello', listeners: ['hello'], connectors: ['hello@10.0.0.1:80', 'hello@10.0.0.2:80'] },
    ]);
  });
});
