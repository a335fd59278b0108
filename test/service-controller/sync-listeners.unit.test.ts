import { describe, expect, it } from 'vitest';
import { Annotation, Label } from '../../common/src/kube-api/names.js';
import type { RemoteService } from '../../common/src/site-sync/remote-services.js';
import { seedFromListeners, syncedListeners, syncPlan } from '../../service-controller/src/sync/synced-listeners.js';
import { listener } from './sync-fixtures.js';

const site = { namespace: 'west', name: 'west', uid: 'uid-west' };
const east = { id: 'uid-east', name: 'east' };
const remote = (address: string, ports: number[], origin = east.id): RemoteService => ({ address, protocol: 'tcp', ports, origin });
const names = new Map([[east.id, east.name]]);

describe('service sync - the synced Listeners a table asks for', () => {
  it('makes one Listener named after the address for a one-port service, routed by the address', () => {
    const [made, ...rest] = syncedListeners([remote('hello', [8080])], site, names);
    expect(rest).toEqual([]);
    expect(made?.metadata.name).toBe('hello');
    expect(made?.metadata.namespace).toBe('west');
    expect(made?.spec).toEqual({ routingKey: 'hello', host: 'hello', port: 8080 });
    expect(made?.metadata.labels).toMatchObject({ [Label.serviceSync]: 'synced', [Label.address]: 'hello' });
    expect(made?.metadata.annotations).toEqual({ [Annotation.originSite]: east.id, [Annotation.originSiteName]: 'east' });
    expect(made?.metadata.ownerReferences).toEqual([{ apiVersion: 'skupper.io/v2alpha1', kind: 'Site', name: 'west', uid: 'uid-west' }]);
  });

  it('makes one Listener per port for a multi-port service, named A-p and routed by A:p', () => {
    const made = syncedListeners([remote('db', [5432, 5433])], site, names);
    expect(made.map((l) => [l.metadata.name, l.spec])).toEqual([
      ['db-5432', { routingKey: 'db:5432', host: 'db', port: 5432 }],
      ['db-5433', { routingKey: 'db:5433', host: 'db', port: 5433 }],
    ]);
  });

  it('leaves out addresses that cannot name a Service, and names an origin not heard yet by its id', () => {
    const made = syncedListeners([remote('Hello.World', [80]), remote('ok', [80], 'uid-north')], site, names);
    expect(made.map((l) => l.metadata.name)).toEqual(['ok']);
    expect(made[0]?.metadata.annotations?.[Annotation.originSiteName]).toBe('uid-north');
  });
});

describe('service sync - the plan against the namespace', () => {
  it('applies what is missing or different, removes synced Listeners nothing asks for, leaves the rest alone', () => {
    const desired = syncedListeners([remote('a', [1]), remote('b', [2])], site, names);
    const existing = [
      ...syncedListeners([remote('a', [1])], site, names),
      listener('b', { host: 'b', port: 3, role: 'synced', address: 'b', origin: east }),
      listener('gone', { host: 'gone', port: 1, role: 'synced', address: 'gone', origin: east }),
      listener('mine', { host: 'mine', port: 1, role: 'announce', address: 'mine' }),
    ];
    const plan = syncPlan(desired, existing);
    expect(plan.apply.map((l) => l.metadata.name)).toEqual(['b']);
    expect(plan.remove.map((l) => l.metadata.name)).toEqual(['gone']);
    expect(plan.blocked).toEqual([]);
  });

  it('never touches a Listener of the same name that service sync did not make', () => {
    const desired = syncedListeners([remote('taken', [80])], site, names);
    const plan = syncPlan(desired, [listener('taken', { host: 'elsewhere', port: 80 })]);
    expect(plan.apply).toEqual([]);
    expect(plan.remove).toEqual([]);
    expect(plan.blocked.map((l) => l.metadata.name)).toEqual(['taken']);
  });

  it('does nothing when the namespace already holds what the table asks for', () => {
    const desired = syncedListeners([remote('db', [5432, 5433]), remote('web', [80])], site, names);
    expect(syncPlan(desired, desired)).toEqual({ apply: [], remove: [], blocked: [] });
  });
});

describe('service sync - seeding the table from the synced Listeners a restart finds', () => {
  it('gives back the services and origin names the Listeners were made from', () => {
    const services = [remote('db', [5432, 5433]), remote('web', [80], 'uid-north')];
    const seeded = seedFromListeners([...syncedListeners(services, site, names), listener('mine', { host: 'mine', port: 1, role: 'announce', address: 'mine' })]);
    expect(seeded.services.sort((a, b) => a.address.localeCompare(b.address))).toEqual(services);
    expect([...seeded.originNames]).toEqual([[east.id, 'east']]);
  });

  it('skips a synced Listener without its origin annotation', () => {
    expect(seedFromListeners([listener('x', { host: 'x', port: 1, role: 'synced', address: 'x' })]).services).toEqual([]);
  });
});
