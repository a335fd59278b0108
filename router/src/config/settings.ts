/**
 * Typed settings the router works with, one interface per configurable entity type. Attribute
 * names are the schema's (camelCase); defaults are applied and values checked before these are
 * built (validate.ts), so every field here is ready to use.
 */
import type { ValidatedEntity } from './validate.js';

export const RouterMode = { standalone: 'standalone', interior: 'interior', edge: 'edge' } as const;
export type RouterMode = (typeof RouterMode)[keyof typeof RouterMode];

export type Distribution = 'multicast' | 'closest' | 'balanced' | 'unavailable';

/** Connection roles Skiff implements; skupper-router's route-container, inter-edge and inter-network are not. */
export const SUPPORTED_ROLES = ['normal', 'inter-router', 'edge'] as const;
export type ConnectionRole = (typeof SUPPORTED_ROLES)[number];

export type StripAnnotations = 'in' | 'out' | 'both' | 'no';

export interface RouterSettings {
  id: string;
  mode: RouterMode;
  helloIntervalSeconds: number;
  helloMaxAgeSeconds: number;
  raIntervalSeconds: number;
  raIntervalFluxSeconds: number;
  remoteLsMaxAgeSeconds: number;
  unreachableHoldoffSeconds: number;
  workerThreads: number;
  /** Extra inter-router-data connections per inter-router connector ("auto" resolved). */
  dataConnectionCount: number;
  defaultDistribution: Distribution;
  dropTcpConnections: boolean;
  metadata?: string;
}

/** PEM material and options ready for `tls.createSecureContext`. */
export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
  passphrase?: string;
  ciphers?: string;
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
}

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface SslProfileSettings {
  name: string;
  caCertFile?: string;
  certFile?: string;
  privateKeyFile?: string;
  ordinal?: number;
  oldestValidOrdinal?: number;
  /** The files' contents and the resolved password. */
  tls: TlsMaterial;
}

export interface ListenerSettings {
  name: string;
  /** "" listens on all interfaces. */
  host: string;
  /** 0 asks for an ephemeral port. */
  port: number;
  role: ConnectionRole;
  cost: number;
  sslProfile?: string;
  saslMechanisms?: string;
  authenticatePeer: boolean;
  requireSsl: boolean;
  maxFrameSize: number;
  maxSessions: number;
  maxSessionFrames?: number;
  idleTimeoutSeconds: number;
  initialHandshakeTimeoutSeconds: number;
  stripAnnotations: StripAnnotations;
  linkCapacity?: number;
  /** Serve HTTP on this port: /healthz, /metrics and AMQP over WebSocket. */
  http: boolean;
  websockets: boolean;
  healthz: boolean;
  metrics: boolean;
}

export interface ConnectorSettings {
  name: string;
  host: string;
  port: number;
  role: ConnectionRole;
  cost: number;
  sslProfile?: string;
  verifyHostname: boolean;
  saslMechanisms?: string;
  saslUsername?: string;
  saslPassword?: string;
  maxFrameSize: number;
  maxSessions: number;
  maxSessionFrames?: number;
  idleTimeoutSeconds: number;
  stripAnnotations: StripAnnotations;
  linkCapacity?: number;
}

export interface AddressSettings {
  name: string;
  /** Exactly one of prefix and pattern is set. */
  prefix?: string;
  pattern?: string;
  distribution: Distribution;
  priority?: number;
}

export interface LogSettings {
  module: string;
  enable?: string;
  includeTimestamp?: boolean;
  includeSource?: boolean;
  outputFile?: string;
}

export interface TcpListenerSettings {
  name: string;
  host: string;
  port: number;
  address: string;
  sslProfile?: string;
  authenticatePeer: boolean;
  /** 0 means the system's maximum (SOMAXCONN). */
  backlog: number;
  observer: 'none' | 'auto' | 'http1' | 'http2';
}

export interface TcpConnectorSettings {
  name: string;
  host: string;
  port: number;
  address: string;
  sslProfile?: string;
  verifyHostname: boolean;
}

/** Settings by short type name, for code that handles several types at once. */
export interface SettingsByType {
  router: RouterSettings;
  sslProfile: SslProfileSettings;
  listener: ListenerSettings;
  connector: ConnectorSettings;
  'router.config.address': AddressSettings;
  log: LogSettings;
  tcpListener: TcpListenerSettings;
  tcpConnector: TcpConnectorSettings;
}

export type ConfigurableType = keyof SettingsByType;

export interface RouterConfig {
  router: RouterSettings;
  sslProfiles: SslProfileSettings[];
  listeners: ListenerSettings[];
  connectors: ConnectorSettings[];
  addresses: AddressSettings[];
  logs: LogSettings[];
  tcpListeners: TcpListenerSettings[];
  tcpConnectors: TcpConnectorSettings[];
  /** Every entity kept, in file order (sslProfiles first), with its attributes for management. */
  entities: ValidatedEntity[];
  /** Things in the file that were understood but ignored (unknown types or attributes, unsupported roles). */
  warnings: string[];
}
