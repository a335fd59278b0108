import { describe, expect, it } from 'vitest';
import type { SiteReport } from '../../common/src/site-sync/site-report.js';
import { siteReportFrom, type SiteReport as DecodedReport } from '../../common/src/site-sync/site-report.js';
import { bindings, linkStates, networkStatus, ownReport, unreachableLinkStates } from '../../site-controller/src/adaptor/network-status.js';
import { parseRouterConfig } from '../../site-controller/src/adaptor/router-config.js';

const config = parseRouterConfig(JSON.stringify([
  ['router', { id: 'west-1234abcd', mode: 'interior' }],
  ['listener', { name: 'amqp', host: '127.0.0.1', port: 5672 }],
  ['connector', { name: 'to-east@172.30.2.100:55671', role: 'inter-router', host: '172.30.2.100', port: '55671', sslProfile: 'a-profile' }],
  ['connector', { name: 'to-edge-host@h:45671', role: 'edge', host: 'h', port: 45671 }],
]));
const east: SiteReport = { id: 'uid-east', name: 'east', routerId: 'east-abcd', mode: 'interior', links: [{ name: 'to-vm', remoteSiteId: 'uid-vm', connected: false }], services: [{ address: 'db', protocol: 'tcp', ports: [5432] }], platform: 'kubernetes', namespace: 'east' };
const vm: SiteReport = { id: 'uid-vm', name: 'vm', routerId: 'vm-r', mode: 'interior', links: [], services: [] };

/** The adaptor knows no reason why a connector is missing. */
const unknown = (): undefined => undefined;

describe('adaptor network status - link states and the status document', () => {
  const connectors = [
    { name: 'to-east@172.30.2.100:55671', host: '172.30.2.100', port: '55671', connectionStatus: 'SUCCESS', connectionMsg: '' },
    { name: 'to-edge-host@h:45671', host: 'h', port: '45671', connectionStatus: 'FAILED', connectionMsg: 'connect ECONNREFUSED h:45671' },
  ];
  const connections = [
    { role: 'inter-router-data', dir: 'out', container: 'someone-else', host: '172.30.2.100:55671' },
    { role: 'inter-router', dir: 'out', container: 'east-abcd', host: '172.30.2.100:55671' },
    { role: 'normal', dir: 'in', container: 'skiff-adaptor', host: '127.0.0.1:40000' },
  ];

  it('says which links are up, why the others are not, and names the remote site by its router id (a link by its connector\'s name before @)', () => {
    expect(linkStates(config, connectors, connections, [vm, east], unknown)).toEqual([
      { name: 'to-east', connected: true, description: 'SUCCESS', remoteSiteId: 'uid-east', remoteSiteName: 'east' },
      { name: 'to-edge-host', connected: false, description: 'connect ECONNREFUSED h:45671' },
    ]);
  });

  it('leaves the remote site out while no report names the peer, and says MISSING for a connector the router lacks', () => {
    expect(linkStates(config, [], connections, [east], unknown)).toEqual([
      { name: 'to-east', connected: false, description: 'MISSING' },
      { name: 'to-edge-host', connected: false, description: 'MISSING' },
    ]);
    expect(linkStates(config, connectors, connections, [vm], unknown)[0]).toEqual({ name: 'to-east', connected: true, description: 'SUCCESS' });
  });

  it('says why a link is not on the router when the adaptor knows (refused, or its Secret missing)', () => {
    const why = (entity: { name: string }) => (entity.name.startsWith('to-east@') ? 'Secret a not found' : undefined);
    expect(linkStates(config, [], connections, [east], why).map((l) => l.description)).toEqual(['Secret a not found', 'MISSING']);
    expect(linkStates(config, connectors, connections, [east], why)[0]?.description).toBe('SUCCESS');
  });

  it('says every link is down, and why, while the router does not answer', () => {
    expect(unreachableLinkStates(config, 'no answer on its management port')).toEqual([
      { name: 'to-east', connected: false, description: 'router not reachable: no answer on its management port' },
      { name: 'to-edge-host', connected: false, description: 'router not reachable: no answer on its management port' },
    ]);
  });

  it('reports like a local site does, as a kubernetes site with no services', () => {
    const links = linkStates(config, connectors, connections, [east], unknown);
    expect(ownReport({ id: 'uid-west', name: 'west', namespace: 'west' }, config, links)).toEqual({
      id: 'uid-west', name: 'west', routerId: 'west-1234abcd', mode: 'interior', services: [], platform: 'kubernetes', namespace: 'west', bindings: [],
      links: [{ name: 'to-east', remoteSiteId: 'uid-east', connected: true }, { name: 'to-edge-host', remoteSiteId: '', connected: false }],
    });
  });

  it('lists this site first, then the others by name, with names of linked sites and services as routing keys', () => {
    const links = linkStates(config, connectors, connections, [east], unknown);
    const own = ownReport({ id: 'uid-west', name: 'west', namespace: 'west' }, config, links);
    const status = networkStatus(own, links, [vm, east, { ...own, name: 'an old copy of west' }]);
    expect(status.siteId).toBe('uid-west');
    expect(status.links).toEqual(links);
    expect(status.sites.map((s) => s.name)).toEqual(['west', 'east', 'vm']);
    expect(status.sites[0]?.links?.[0]).toEqual({ name: 'to-east', remoteSiteId: 'uid-east', remoteSiteName: 'east', operational: true });
    expect(status.sites[1]).toEqual({
      id: 'uid-east', name: 'east', namespace: 'east', platform: 'kubernetes',
      links: [{ name: 'to-vm', remoteSiteId: 'uid-vm', remoteSiteName: 'vm', operational: false }],
      services: [{ routingKey: 'db' }],
    });
    expect(status.sites[2]?.platform).toBe('local');
  });

  it('gives the same document for the same inputs, whatever order reports arrived in (no churn)', () => {
    const own = ownReport({ id: 'uid-west', name: 'west', namespace: 'west' }, config, []);
    expect(JSON.stringify(networkStatus(own, [], [east, vm]))).toBe(JSON.stringify(networkStatus(own, [], [vm, east])));
  });

  it('binds each routing key to the Listeners and Connectors whose bridges carry it (tcpConnector <Connector>@<host>:<port>)', () => {
    const tcpListeners = [{ name: 'hello', address: 'hello' }, { name: 'db-5432', address: 'db:5432' }];
    const tcpConnectors = [
      { name: 'hello@10.244.1.5:8080', address: 'hello' },
      { name: 'hello@10.244.1.6:8080', address: 'hello' },
      { name: 'backend@db.example:5432', address: 'db:5432' },
    ];
    const found = bindings(tcpListeners, tcpConnectors);
    expect(found).toEqual([
      { routingKey: 'db:5432', listeners: ['db-5432'], connectors: ['backend'] },
      { routingKey: 'hello', listeners: ['hello'], connectors: ['hello'] },
    ]);
    const own = ownReport({ id: 'uid-west', name: 'west', namespace: 'west' }, config, [], found);
    // Bindings first; an address a site defines without any binding keeps its bare entry.
    const withDefinition: SiteReport = { ...east, bindings: [{ routingKey: 'hello', listeners: [], connectors: ['hello'] }] };
    const status = networkStatus(own, [], [withDefinition]);
    expect(status.sites[0]?.services).toEqual([
      { routingKey: 'db:5432', listeners: ['db-5432'], connectors: ['backend'] },
      { routingKey: 'hello', listeners: ['hello'], connectors: ['hello'] },
    ]);
    expect(status.sites[1]?.services).toEqual([{ routingKey: 'hello', listeners: [], connectors: ['hello'] }, { routingKey: 'db' }]);
  });

  it('decodes bindings from a report, dropping malformed entries, and leaves them out of reports without any', () => {
    const decoded: DecodedReport | undefined = siteReportFrom({
      ...vm,
      bindings: [{ routingKey: 'a', listeners: ['l', 3], connectors: 'x' }, { routingKey: '' }, 'junk', { routingKey: 'b', connectors: ['c'] }],
    });
    expect(decoded?.bindings).toEqual([{ routingKey: 'a', listeners: ['l'], connectors: [] }, { routingKey: 'b', listeners: [], connectors: ['c'] }]);
    expect(siteReportFrom(vm)).not.toHaveProperty('bindings');
  });
});
