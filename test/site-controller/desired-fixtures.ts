/** Objects for the desired-state unit tests: a Site, Links and RouterAccesses as the API returns them. */
import { API_VERSION, type Link, type LinkSpec, type RouterAccess, type Site, type SiteSpec } from '../../common/src/kube-api/types.js';
import { defaultRouterAccess } from '../../site-controller/src/desired/default-router-access.js';
import type { AccessType } from '../../site-controller/src/desired/link-access.js';

export const SITE_UID = '3f1c2a9e-7b4d-4c1e-9a0b-1234567890ab';

export function site(spec: SiteSpec = {}, name = 'west', namespace = 'west-ns'): Site {
  return {
    apiVersion: API_VERSION,
    kind: 'Site',
    metadata: { name, namespace, uid: SITE_UID, generation: 2, creationTimestamp: '2026-12-02T08:00:00Z' },
    spec,
  };
}

export function link(name: string, spec: LinkSpec, namespace = 'west-ns'): Link {
  return { apiVersion: API_VERSION, kind: 'Link', metadata: { name, namespace, uid: `uid-${name}`, generation: 1 }, spec };
}

export function endpoints(host: string): { name: string; host: string; port: string }[] {
  return [
    { name: 'inter-router', host, port: '55671' },
    { name: 'edge', host, port: '45671' },
  ];
}

export function access(type: AccessType, forSite: Site = site()): RouterAccess {
  const made = defaultRouterAccess(forSite, type);
  return { ...made, metadata: { ...made.metadata, uid: 'ra-uid', generation: 1 } };
}
