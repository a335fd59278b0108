/**
 * A site's persistent state (`site.json`): its identity, the ports chosen at init, and everything
 * added later (links, exposed hosts, service listeners). The router config is derived from it, so
 * `skiff start` after `skiff stop` brings back the same site.
 */

export const RouterMode = { interior: 'interior', edge: 'edge' } as const;
export type RouterMode = (typeof RouterMode)[keyof typeof RouterMode];

export interface SitePorts {
  /** Plain AMQP listener on 127.0.0.1 used for management. */
  management: number;
  /** HTTP listener on 127.0.0.1 for /healthz and /metrics. */
  http: number;
  /** Inter-router and edge listeners on the ingress host (interior sites with ingress only). */
  interRouter: number;
  edge: number;
  /** HTTPS claims server of the site agent, on the ingress host. */
  claims: number;
}

export interface LinkRecord {
  name: string;
  cost: number;
  /** Site id of the site that issued the token (Skupper's `skupper.io/generated-by`). */
  remoteSiteId: string;
  role: 'inter-router' | 'edge';
  host: string;
  port: number;
}

/** A tcpConnector: this site reaches `host:port` for `address`. */
export interface ExposedHost {
  name: string;
  address: string;
  host: string;
  port: number;
}

/**
 * A tcpListener: this site accepts on `host:port` for `address`. In `SiteState.services` it is also
 * a service defined here (origin this site), which service sync announces to the other sites.
 */
export interface ServiceListener {
  name: string;
  address: string;
  host: string;
  port: number;
}

export interface SiteState {
  id: string;
  name: string;
  routerId: string;
  mode: RouterMode;
  /** Host the inter-router and edge listeners bind to and the server cert names; null = no ingress. */
  ingressHost: string | null;
  ports: SitePorts;
  links: LinkRecord[];
  exposed: ExposedHost[];
  services: ServiceListener[];
  /** How long this site keeps the services of a site it no longer hears from (Skupper's service-sync ttl). */
  syncGraceSeconds: number;
}

/** Skupper's default service-sync ttl. */
export const DEFAULT_SYNC_GRACE_SECONDS = 180;

/** Name of the tcpConnector for one target of a service, unique per address and target. */
export function targetName(address: string, host: string, port: number): string {
  return `${address}@${host}:${port}`;
}

/** True when other sites can link to this one. */
export function acceptsLinks(state: SiteState): boolean {
  return state.mode === RouterMode.interior && state.ingressHost !== null;
}
