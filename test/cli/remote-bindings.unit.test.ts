import { describe, expect, it } from 'vitest';
import type { SiteState } from '../../cli/src/site/site-state.js';
import { knownServices } from '../../cli/src/sync/service-catalog.js';
import { siteListeners } from '../../cli/src/sync/site-listeners.js';
import type { SyncedServices } from '../../cli/src/sync/sync-files.js';

const state = { id: 'w', name: 'west', services: [{ name: 'mine', address: 'mine', host: '127.0.0.1', port: 7000 }], exposed: [] } as unknown as SiteState;

describe('remote bindings - a local site binds one port per routing key of a remote service', () => {
  const synced: SyncedServices = {
    remote: [
      { address: 'hello', protocol: 'tcp', ports: [8080], origin: 'east' },
      { address: 'db', protocol: 'tcp', ports: [5432, 5433], origin: 'c1' },
      { address: 'mine', protocol: 'tcp', ports: [1, 2], origin: 'c1' },
    ],
    ports: { hello: 20001, 'db:5432': 20002, 'db:5433': 20003, 'mine:1': 20004 },
  };

  it('listens for a one-port service on its address, as always, and per port on address:port for several', () => {
    expect(siteListeners(state, synced)).toEqual([
      { name: 'mine', address: 'mine', host: '127.0.0.1', port: 7000 },
      { name: 'hello', address: 'hello', host: '127.0.0.1', port: 20001 },
      { name: 'db:5432', address: 'db:5432', host: '127.0.0.1', port: 20002 },
      { name: 'db:5433', address: 'db:5433', host: '127.0.0.1', port: 20003 },
    ]);
  });

  it('lists a multi-port remote service once per port, by routing key, with the port bound here', () => {
    const known = knownServices(state, synced, { sites: [] });
    expect(known.map((k) => [k.address, k.port, k.origin])).toEqual([
      ['db:5432', 20002, 'remote'],
      ['db:5433', 20003, 'remote'],
      ['hello', 20001, 'remote'],
      ['mine', 7000, 'local'],
    ]);
  });
});
