/**
 * Skupper v2's API (`skupper.io/v2alpha1`, reference §7.2) as TypeScript types: the kinds Skiff serves,
 * their specs and their statuses. Field names are Skupper's, so Skupper YAML applies unchanged.
 */
export const GROUP = 'skupper.io';
export const VERSION = 'v2alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** Kind → plural resource name, for the custom objects API. */
export const Plural = {
  Site: 'sites',
  Link: 'links',
  AccessGrant: 'accessgrants',
  AccessToken: 'accesstokens',
  RouterAccess: 'routeraccesses',
  Listener: 'listeners',
  Connector: 'connectors',
} as const;
export type Kind = keyof typeof Plural;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** metav1.Condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration: number;
  lastTransitionTime: string;
}

export const StatusType = { Ready: 'Ready', Pending: 'Pending', Error: 'Error' } as const;
export type StatusType = (typeof StatusType)[keyof typeof StatusType];

/** Embedded in every kind's status. */
export interface Status {
  status?: StatusType;
  message?: string;
  conditions?: Condition[];
}

export const ConditionType = {
  Configured: 'Configured',
  Running: 'Running',
  Resolved: 'Resolved',
  Operational: 'Operational',
  Processed: 'Processed',
  Redeemed: 'Redeemed',
  Matched: 'Matched',
  Ready: 'Ready',
  /** Skiff's own: names the fields Skiff accepts but does not act on. Never holds Ready back. */
  Supported: 'Supported',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export type Settings = Record<string, string>;

export interface Endpoint {
  name?: string;
  host?: string;
  port?: string;
  group?: string;
}

export interface SiteSpec {
  serviceAccount?: string;
  linkAccess?: string;
  defaultIssuer?: string;
  edge?: boolean;
  ha?: boolean;
  settings?: Settings;
}

export interface LinkStatusEntry {
  name: string;
  remoteSiteId: string;
  remoteSiteName?: string;
  operational: boolean;
}

export interface ServiceStatusEntry {
  routingKey: string;
  connectors?: string[];
  listeners?: string[];
}

export interface SiteRecord {
  id: string;
  name: string;
  namespace?: string;
  platform?: string;
  version?: string;
  links?: LinkStatusEntry[];
  services?: ServiceStatusEntry[];
}

export interface SiteStatus extends Status {
  endpoints?: Endpoint[];
  sitesInNetwork?: number;
  network?: SiteRecord[];
  defaultIssuer?: string;
  controller?: { name: string; namespace: string; version: string };
}

export interface Site {
  apiVersion: typeof API_VERSION;
  kind: 'Site';
  metadata: ObjectMeta;
  spec?: SiteSpec;
  status?: SiteStatus;
}

export interface LinkSpec {
  endpoints?: Endpoint[];
  tlsCredentials?: string;
  cost?: number;
  noClientAuth?: boolean;
  settings?: Settings;
}

export interface LinkStatus extends Status {
  remoteSiteId?: string;
  remoteSiteName?: string;
}

export interface Link {
  apiVersion: typeof API_VERSION;
  kind: 'Link';
  metadata: ObjectMeta;
  spec?: LinkSpec;
  status?: LinkStatus;
}

export interface AccessGrantSpec {
  redemptionsAllowed?: number;
  /** Go duration, e.g. `15m`, `1h30m`; empty means 15 minutes. */
  expirationWindow?: string;
  code?: string;
  issuer?: string;
  settings?: Settings;
}

export interface AccessGrantStatus extends Status {
  url?: string;
  code?: string;
  ca?: string;
  redemptions?: number;
  expirationTime?: string;
}

export interface AccessGrant {
  apiVersion: typeof API_VERSION;
  kind: 'AccessGrant';
  metadata: ObjectMeta;
  spec?: AccessGrantSpec;
  status?: AccessGrantStatus;
}

export interface AccessTokenSpec {
  url: string;
  code: string;
  ca: string;
  linkCost?: number;
  settings?: Settings;
}

export interface AccessTokenStatus extends Status {
  redeemed?: boolean;
}

export interface AccessToken {
  apiVersion: typeof API_VERSION;
  kind: 'AccessToken';
  metadata: ObjectMeta;
  spec?: AccessTokenSpec;
  status?: AccessTokenStatus;
}

export interface RouterAccessRole {
  name: string;
  port: number;
}

export interface RouterAccessSpec {
  accessType?: string;
  roles?: RouterAccessRole[];
  tlsCredentials?: string;
  generateTlsCredentials?: boolean;
  issuer?: string;
  bindHost?: string;
  subjectAlternativeNames?: string[];
  settings?: Settings;
}

export interface RouterAccessStatus extends Status {
  endpoints?: Endpoint[];
}

export interface RouterAccess {
  apiVersion: typeof API_VERSION;
  kind: 'RouterAccess';
  metadata: ObjectMeta;
  spec?: RouterAccessSpec;
  status?: RouterAccessStatus;
}

export interface ListenerSpec {
  routingKey: string;
  /** Name of the Service clients at this site connect to. */
  host: string;
  port: number;
  tlsCredentials?: string;
  type?: string;
  observer?: string;
  exposePodsByName?: boolean;
  settings?: Settings;
}

export interface ListenerStatus extends Status {
  hasMatchingConnector?: boolean;
}

export interface Listener {
  apiVersion: typeof API_VERSION;
  kind: 'Listener';
  metadata: ObjectMeta;
  spec?: ListenerSpec;
  status?: ListenerStatus;
}

export interface ConnectorSpec {
  routingKey: string;
  port: number;
  /** Label selector (`k=v,k2=v2`) of the pods to connect to; or `host`. */
  selector?: string;
  host?: string;
  tlsCredentials?: string;
  useClientCert?: boolean;
  verifyHostname?: boolean;
  type?: string;
  exposePodsByName?: boolean;
  includeNotReadyPods?: boolean;
  settings?: Settings;
}

export interface SelectedPod {
  name: string;
  ip: string;
}

export interface ConnectorStatus extends Status {
  selectedPods?: SelectedPod[];
  hasMatchingListener?: boolean;
}

export interface Connector {
  apiVersion: typeof API_VERSION;
  kind: 'Connector';
  metadata: ObjectMeta;
  spec?: ConnectorSpec;
  status?: ConnectorStatus;
}
