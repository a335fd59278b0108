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
  serviceControllerHealth: 9192,
} as const;

/** Router ports a Listener's tcpListener never takes (ADR 0005): the router's and its sidecars' own. */
export const ReservedRouterPorts: readonly number[] = [Port.management, Port.routerHealth, Port.grant, Port.interRouter, Port.edge, Port.controllerHealth, Port.serviceControllerHealth];

/** Containers of the router pod. */
export const Container = { router: 'router', adaptor: 'kube-adaptor', serviceController: 'service-controller' } as const;

export const CertsDir = '/etc/skupper-router-certs';
export const RouterConfigDir = '/etc/skupper-router/config';

export const Label = {
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  site: 'skupper.io/site',
  component: 'skupper.io/component',
  /** On Listeners: `announce` (defined here, announced by service sync) or `synced` (made by service sync). */
  serviceSync: 'skiff.io/service-sync',
  /** On Listeners and Connectors made for a v1-style exposure: the service address they belong to. */
  address: 'skiff.io/address',
  /** On Listeners and Connectors made for a v1-style exposure: `skiff-cli` or `annotation`. */
  exposedBy: 'skiff.io/exposed-by',
  /** On Services a Listener leads to the router: the Listener host (= Service name). */
  listenerService: 'skiff.io/listener-service',
  /** On the per-pod Listeners and Connectors of a headless StatefulSet: its governing Service name. */
  headless: 'skiff.io/headless',
  /** On the headless Service and EndpointSlice made for per-pod Listeners: the Service name. */
  headlessService: 'skiff.io/headless-service',
} as const;

/** `endpointslice.kubernetes.io/managed-by` of the EndpointSlices the service-controller writes. */
export const EndpointSliceManager = 'service-controller.skiff.io';

export const ServiceSyncRole = { announce: 'announce', synced: 'synced' } as const;

/** Annotations of ADR 0005 (services). */
export const Annotation = {
  /** On synced Listeners: id and name of the site that announced the service. */
  originSite: 'skiff.io/origin-site',
  originSiteName: 'skiff.io/origin-site-name',
  /** On a Listener: `"true"` lets it take over a Service of its host that Skiff does not own. */
  takeOverService: 'skiff.io/take-over-service',
  /** On a taken-over Service: its own selector and ports (JSON), restored exactly on release. */
  originalSelector: 'skiff.io/original-selector',
  originalPorts: 'skiff.io/original-ports',
  /** On a headless exposure's per-pod objects: its definition, `{"name","size","ports"}` (JSON). */
  headless: 'skiff.io/headless',
  /** Skupper's marker on Services a Listener controls. */
  controlled: 'internal.skupper.io/controlled',
  /** Skupper v1 exposure annotations on Deployments, StatefulSets and Services. */
  proxy: 'skupper.io/proxy',
  v1Address: 'skupper.io/address',
  v1Port: 'skupper.io/port',
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

/**
 * The router's name for an entity made for a Kubernetes object (a Link's connector, a Listener's
 * tcpListener, a Connector's tcpConnector): the object, then where the router dials or listens.
 * The router's names are unique across entity types, and `@` is in no Kubernetes name, so no such
 * entity takes the name of another, nor of the site's own (the `amqp` and `health` listeners, a
 * RouterAccess's listeners, an sslProfile): a Link named `amqp` would keep the router from starting.
 */
export function objectEntityName(object: string, host: string, port: number | string): string {
  return `${object}@${host}:${port}`;
}

/** The object an entity was made for: the part of its router name before `@` (all of it if none). */
export function entityObject(name: string): string {
  const at = name.indexOf('@');
  return at < 0 ? name : name.slice(0, at);
}

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
  serviceControllerImage: 'SKIFF_SERVICE_CONTROLLER_IMAGE',
  /** Seconds a silent origin keeps its synced services (Site setting `service-sync-site-ttl`). */
  syncGraceSeconds: 'SKIFF_SYNC_GRACE_SECONDS',
} as const;

/**
 * The routing key of port `port` of a v1-style service `address` (expose, service create, service
 * sync): the address itself when the service has one port (as local sites use it), `address:port`
 * when it has several (as Skupper v1 does).
 */
export function serviceRoutingKey(address: string, port: number, portCount: number): string {
  return portCount === 1 ? address : `${address}:${port}`;
}
