/**
 * Builds typed settings from an entity's validated attributes (types already coerced, defaults
 * applied, values checked by validate.ts): the only place that maps schema attributes to fields.
 */
import type { AttributeMap } from './coerce.js';
import type {
  AddressSettings,
  ConfigurableType,
  ConnectionRole,
  ConnectorSettings,
  Distribution,
  ListenerSettings,
  LogSettings,
  RouterMode,
  RouterSettings,
  SettingsByType,
  SslProfileSettings,
  StripAnnotations,
  TcpConnectorSettings,
  TcpListenerSettings,
  TlsMaterial,
} from './settings.js';

/** Drops undefined fields, so optional properties are absent rather than undefined. */
type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

function compact<T extends Record<string, unknown>>(record: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out as Compact<T>;
}

/** Typed reads of validated attributes. */
class Reader {
  constructor(private readonly attributes: AttributeMap) {}
  str(name: string): string {
    return String(this.attributes[name] ?? '');
  }
  optStr(name: string): string | undefined {
    const v = this.attributes[name];
    return typeof v === 'string' ? v : undefined;
  }
  int(name: string): number {
    return Number(this.attributes[name] ?? 0);
  }
  optInt(name: string): number | undefined {
    const v = this.attributes[name];
    return typeof v === 'number' ? v : undefined;
  }
  bool(name: string): boolean {
    return this.attributes[name] === true;
  }
  optBool(name: string): boolean | undefined {
    const v = this.attributes[name];
    return typeof v === 'boolean' ? v : undefined;
  }
}

/** Values worked out during validation that are not plain attributes. */
export interface Derived {
  port: number;
  dataConnectionCount: number;
  tls: TlsMaterial;
}

type Builder<K extends ConfigurableType> = (r: Reader, d: Derived) => SettingsByType[K];

const BUILDERS: { [K in ConfigurableType]: Builder<K> } = {
  router: (r, d): RouterSettings => compact({
    id: r.str('id'),
    mode: r.str('mode') as RouterMode,
    helloIntervalSeconds: r.int('helloIntervalSeconds'),
    helloMaxAgeSeconds: r.int('helloMaxAgeSeconds'),
    raIntervalSeconds: r.int('raIntervalSeconds'),
    raIntervalFluxSeconds: r.int('raIntervalFluxSeconds'),
    remoteLsMaxAgeSeconds: r.int('remoteLsMaxAgeSeconds'),
    unreachableHoldoffSeconds: r.int('unreachableHoldoffSeconds'),
    workerThreads: r.int('workerThreads'),
    dataConnectionCount: d.dataConnectionCount,
    defaultDistribution: r.str('defaultDistribution') as Distribution,
    dropTcpConnections: r.bool('dropTcpConnections'),
    metadata: r.optStr('metadata'),
  }),
  sslProfile: (r, d): SslProfileSettings => compact({
    name: r.str('name'),
    caCertFile: r.optStr('caCertFile'),
    certFile: r.optStr('certFile'),
    privateKeyFile: r.optStr('privateKeyFile'),
    ordinal: r.optInt('ordinal'),
    oldestValidOrdinal: r.optInt('oldestValidOrdinal'),
    tls: d.tls,
  }),
  listener: (r, d): ListenerSettings => compact({
    name: r.str('name'),
    host: r.str('host'),
    port: d.port,
    role: r.str('role') as ConnectionRole,
    cost: r.int('cost'),
    sslProfile: r.optStr('sslProfile'),
    saslMechanisms: r.optStr('saslMechanisms'),
    authenticatePeer: r.bool('authenticatePeer'),
    requireSsl: r.bool('requireSsl'),
    maxFrameSize: r.int('maxFrameSize'),
    maxSessions: r.int('maxSessions'),
    maxSessionFrames: r.optInt('maxSessionFrames'),
    idleTimeoutSeconds: r.int('idleTimeoutSeconds'),
    initialHandshakeTimeoutSeconds: r.int('initialHandshakeTimeoutSeconds'),
    stripAnnotations: r.str('stripAnnotations') as StripAnnotations,
    linkCapacity: r.optInt('linkCapacity'),
    http: r.bool('http'),
    websockets: r.bool('websockets'),
    healthz: r.bool('healthz'),
    metrics: r.bool('metrics'),
  }),
  connector: (r, d): ConnectorSettings => compact({
    name: r.str('name'),
    host: r.str('host'),
    port: d.port,
    role: r.str('role') as ConnectionRole,
    cost: r.int('cost'),
    sslProfile: r.optStr('sslProfile'),
    verifyHostname: r.bool('verifyHostname'),
    saslMechanisms: r.optStr('saslMechanisms'),
    saslUsername: r.optStr('saslUsername'),
    saslPassword: r.optStr('saslPassword'),
    maxFrameSize: r.int('maxFrameSize'),
    maxSessions: r.int('maxSessions'),
    maxSessionFrames: r.optInt('maxSessionFrames'),
    idleTimeoutSeconds: r.int('idleTimeoutSeconds'),
    stripAnnotations: r.str('stripAnnotations') as StripAnnotations,
    linkCapacity: r.optInt('linkCapacity'),
  }),
  'router.config.address': (r): AddressSettings => compact({
    name: r.str('name'),
    prefix: r.optStr('prefix'),
    pattern: r.optStr('pattern'),
    distribution: r.str('distribution') as Distribution,
    priority: r.optInt('priority'),
  }),
  log: (r): LogSettings => compact({
    module: r.str('module'),
    enable: r.optStr('enable'),
    includeTimestamp: r.optBool('includeTimestamp'),
    includeSource: r.optBool('includeSource'),
    outputFile: r.optStr('outputFile'),
  }),
  tcpListener: (r, d): TcpListenerSettings => compact({
    name: r.str('name'),
    host: r.str('host'),
    port: d.port,
    address: r.str('address'),
    sslProfile: r.optStr('sslProfile'),
    authenticatePeer: r.bool('authenticatePeer'),
    backlog: r.int('backlog'),
    observer: r.str('observer') as TcpListenerSettings['observer'],
  }),
  tcpConnector: (r, d): TcpConnectorSettings => compact({
    name: r.str('name'),
    host: r.str('host'),
    port: d.port,
    address: r.str('address'),
    sslProfile: r.optStr('sslProfile'),
    verifyHostname: r.bool('verifyHostname'),
  }),
};

export function buildSettings<K extends ConfigurableType>(type: K, attributes: AttributeMap, derived: Derived): SettingsByType[K] {
  const build = BUILDERS[type] as Builder<K>;
  return build(new Reader(attributes), derived);
}
