import { describe, expect, it } from 'vitest';
import { networkSites } from '../../cli/src/sync/network-sites.js';
import type { SiteReport } from '../../common/src/site-sync/site-report.js';
import { node, renderTree } from '../../cli/src/text-tree.js';

const report = (name: string, links: SiteReport['links'] = []): SiteReport => ({ id: `id-${name}`, name, routerId: `${name}-r`, mode: 'interior', links, services: [] });

describe('network sites - the network status view', () => {
  it('puts this site first, then the others by name, each with outgoing and incoming links', () => {
    const a = report('a');
    const b = report('b', [{ name: 'link1', remoteSiteId: 'id-a', connected: true }]);
    const c = report('c', [{ name: 'link1', remoteSiteId: 'id-b', connected: false }, { name: 'link2', remoteSiteId: 'id-gone', connected: false }]);
    const sites = networkSites(a, [c, b, { ...a, name: 'stale copy of a' }]);
    expect(sites.map((s) => [s.name, s.local])).toEqual([['a', true], ['b', false], ['c', false]]);
    expect(sites[0]?.links).toEqual([{ name: 'link1', direction: 'incoming', remoteSiteId: 'id-b', remoteSiteName: 'b', connected: true }]);
    expect(sites[1]?.links.map((l) => `${l.direction} ${l.remoteSiteName}`)).toEqual(['outgoing a', 'incoming c']);
    expect(sites[2]?.links.map((l) => `${l.direction} ${l.remoteSiteName} ${l.connected}`)).toEqual(['outgoing b false', 'outgoing id-gone false']);
  });

  it('draws trees as Skupper does', () => {
    expect(renderTree([node('a', [node('a1'), node('a2', [node('x')])]), node('b')])).toEqual(['├─ a', '│  ├─ a1', '│  ╰─ a2', '│     ╰─ x', '╰─ b']);
  });
});
