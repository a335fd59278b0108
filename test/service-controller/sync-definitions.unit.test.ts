import { describe, expect, it } from 'vitest';
import { announcedDefinitions, localAddresses } from '../../service-controller/src/sync/announced-definitions.js';
import { listener } from './sync-fixtures.js';

describe('service sync - definitions a Kubernetes site announces', () => {
  it('groups announce Listeners by address into one definition with its ports sorted', () => {
    const listeners = [
      listener('db-5433', { host: 'db', port: 5433, role: 'announce', address: 'db' }),
      listener('db-5432', { host: 'db', port: 5432, role: 'announce', address: 'db' }),
      listener('backend', { host: 'backend', port: 8080, role: 'announce', address: 'backend' }),
    ];
    expect(announcedDefinitions(listeners)).toEqual([
      { address: 'backend', protocol: 'tcp', ports: [8080] },
      { address: 'db', protocol: 'tcp', ports: [5432, 5433] },
    ]);
  });

  it('announces neither synced Listeners, nor v2 ones, nor one being deleted or with a port no Service can have', () => {
    const listeners = [
      listener('remote', { host: 'remote', port: 80, role: 'synced', address: 'remote' }),
      listener('v2', { host: 'v2', port: 80 }),
      listener('going', { host: 'going', port: 80, role: 'announce', address: 'going', deleting: true }),
      listener('bad-port', { host: 'bad-port', port: 70000, role: 'announce', address: 'bad-port' }),
    ];
    expect(announcedDefinitions(listeners)).toEqual([]);
  });

  it('uses the host when an announce Listener lacks the address label', () => {
    expect(announcedDefinitions([listener('x', { host: 'hello', port: 8080, role: 'announce' })])).toEqual([{ address: 'hello', protocol: 'tcp', ports: [8080] }]);
  });

  it('counts as local every host of a Listener service sync did not make, and every announced address', () => {
    const listeners = [
      listener('a', { host: 'a', port: 1, role: 'announce', address: 'a' }),
      listener('v2', { host: 'plain', port: 1 }),
      listener('remote', { host: 'remote', port: 1, role: 'synced', address: 'remote' }),
    ];
    expect([...localAddresses(listeners)].sort()).toEqual(['a', 'plain']);
  });
});
