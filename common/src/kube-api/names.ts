/**
 * The names, labels and ports that the controller, the kube-adaptor, the CLI, the chart and the tests
 * agree on (docs/adr/0004-kubernetes-sites.md). Nothing else spells them.
 */
export const RouterName = 'skupper-router';
export const RouterConfigMap = 'skupper-router';
export const RouterConfigKey = 'skrouterd.json';
export const NetworkStatusConfigMap = 'skupper-network-status';
export const NetworkStatusKey = 'status.json';
export const SiteCaSecret = 'skupper-site-ca';
export const SiteServerSecret = 'skupper-site-server';
export const DefaultRouterAccess = 'skupper-router';
export const ControllerLease = 'skiff-site-controller';

export const Port = {
  interRouter: 55671,
  edge: 45671,
  grant: 8081,
  management: 5672,
  routerHealth: 9090,
  controllerHealth: 9191,
} as const;

export const CertsDir = '/etc/skupper-router-certs';
export const RouterConfigDir = '/etc/skupper-router/config';

export const Label = {
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  site: 'skupper.io/site',
  component: 'skupper.io/component',
} as const;

export const PART_OF = 'skiff';
export const MANAGED_BY = 'skiff-site-controller';

/** Labels every object the controller makes for the Site named `site` carries. */
export function siteLabels(site: string): Record<string, string> {
  return { [Label.partOf]: PART_OF, [Label.managedBy]: MANAGED_BY, [Label.site]: site };
}

/** Labels of router pods (also the router Services' selector, minus the site label). */
export function routerPodLabels(site: string): Record<string, string> {
  return { ...siteLabels(site), [Label.name]: RouterName, [Label.component]: 'router' };
}

export const RouterSelector = { [Label.name]: RouterName, [Label.component]: 'router' } as const;

/** sslProfile of link credentials held in Secret `secret`. */
export function linkProfile(secret: string): string {
  return `${secret}-profile`;
}

/** The Secret whose files an sslProfile uses: `S-profile` → `S`, else the profile's own name. */
export function profileSecret(profile: string): string {
  return profile.endsWith('-profile') ? profile.slice(0, -'-profile'.length) : profile;
}

/** Router id of a site: unique across the network even when two clusters use the same names. */
export function routerId(siteName: string, siteUid: string): string {
  return `${siteName}-${siteUid.slice(0, 8)}`;
}

/** Environment variables of the controller and the adaptor. */
export const Env = {
  watchNamespaces: 'SKIFF_WATCH_NAMESPACES',
  podNamespace: 'POD_NAMESPACE',
  podName: 'POD_NAME',
  siteName: 'SKIFF_SITE_NAME',
  routerImage: 'SKIFF_ROUTER_IMAGE',
  adaptorImage: 'SKIFF_ADAPTOR_IMAGE',
  healthPort: 'SKIFF_HEALTH_PORT',
  nodePortHost: 'SKIFF_NODEPORT_HOST',
} as const;
