/**
 * Configurable entity types, written from skupper-router's skrouter.json (types, defaults,
 * create/update permissions, attribute order). The order matters: a management QUERY with no
 * attribute names answers every attribute in this order, and tools such as skmanage print it.
 */
import { ENTITY_ATTRIBUTES, type AttributeSpec, type EntityTypeSpec } from './schema-types.js';

const ROLES = ['normal', 'inter-router', 'route-container', 'edge', 'inter-edge', 'inter-network'] as const;
const DISTRIBUTIONS = ['multicast', 'closest', 'balanced', 'unavailable'] as const;
const STRIP = ['in', 'out', 'both', 'no'] as const;

/** Log modules skupper-router knows; a `log` entity must name one of them. */
export const LOG_MODULES = [
  'ROUTER', 'ROUTER_CORE', 'ROUTER_HELLO', 'ROUTER_LS', 'ROUTER_MA', 'MESSAGE', 'SERVER', 'AGENT',
  'CONTAINER', 'ERROR', 'POLICY', 'HTTP', 'CONN_MGR', 'PYTHON', 'PROTOCOL', 'TCP_ADAPTOR',
  'HTTP_ADAPTOR', 'FLOW_LOG', 'ADDRESS_WATCH', 'HTTP1_OBSERVER', 'HTTP2_OBSERVER', 'HTTP2_DECODER',
  'DEFAULT',
] as const;

/** The Python agent appends the common entity attributes after the type's own. */
function own(attributes: readonly AttributeSpec[]): readonly AttributeSpec[] {
  return [...attributes, ...ENTITY_ATTRIBUTES];
}

export const ROUTER: EntityTypeSpec = {
  name: 'router',
  agent: 'python',
  operations: [],
  singleton: true,
  identity: 'id',
  attributes: own([
    { name: 'id', kind: 'string', create: true },
    { name: 'vanId', kind: 'string', create: true },
    { name: 'mode', kind: 'enum', values: ['standalone', 'interior', 'edge'], default: 'standalone', create: true },
    { name: 'area', kind: 'string', default: '0' },
    { name: 'version', kind: 'string' },
    { name: 'hostName', kind: 'string' },
    { name: 'helloIntervalSeconds', kind: 'integer', default: 1, create: true },
    { name: 'helloMaxAgeSeconds', kind: 'integer', default: 3, create: true },
    { name: 'raIntervalSeconds', kind: 'integer', default: 30, create: true },
    { name: 'raIntervalFluxSeconds', kind: 'integer', default: 4, create: true },
    { name: 'remoteLsMaxAgeSeconds', kind: 'integer', default: 60, create: true },
    { name: 'unreachableHoldoffSeconds', kind: 'integer', default: 1, create: true },
    { name: 'workerThreads', kind: 'integer', default: 4, create: true },
    { name: 'debugDumpFile', kind: 'path', create: true },
    { name: 'saslConfigDir', kind: 'path', create: true },
    { name: 'saslConfigName', kind: 'string', default: 'skrouterd', create: true },
    { name: 'timestampsInUTC', kind: 'boolean', create: true },
    { name: 'timestampFormat', kind: 'string', create: true },
    { name: 'defaultDistribution', kind: 'enum', values: DISTRIBUTIONS, default: 'balanced', create: true },
    { name: 'metadata', kind: 'string', create: true },
    { name: 'dataConnectionCount', kind: 'string', default: 'auto', create: true },
    { name: 'dropTcpConnections', kind: 'boolean', default: true, create: true },
  ]),
};

export const SSL_PROFILE: EntityTypeSpec = {
  name: 'sslProfile',
  agent: 'python',
  operations: ['CREATE', 'UPDATE', 'DELETE'],
  identity: 'name',
  attributes: own([
    { name: 'ciphers', kind: 'string', create: true, update: true },
    { name: 'protocols', kind: 'string', create: true, update: true },
    { name: 'caCertFile', kind: 'path', create: true, update: true },
    { name: 'certFile', kind: 'path', create: true, update: true },
    { name: 'privateKeyFile', kind: 'path', create: true, update: true },
    { name: 'password', kind: 'string', create: true, update: true },
    { name: 'uidFormat', kind: 'string', create: true },
    { name: 'uidNameMappingFile', kind: 'string', create: true },
    { name: 'ordinal', kind: 'integer', create: true, update: true },
    { name: 'oldestValidOrdinal', kind: 'integer', create: true, update: true },
  ]),
};

export const LISTENER: EntityTypeSpec = {
  name: 'listener',
  agent: 'python',
  operations: ['CREATE', 'DELETE'],
  identity: 'hostPortName',
  attributes: own([
    { name: 'host', kind: 'string', default: '', create: true },
    { name: 'port', kind: 'string', default: 'amqp', create: true },
    { name: 'socketAddressFamily', kind: 'enum', values: ['IPv4', 'IPv6'], create: true },
    { name: 'role', kind: 'enum', values: ROLES, default: 'normal', create: true },
    { name: 'cost', kind: 'integer', default: 1, create: true },
    { name: 'sslProfile', kind: 'string', create: true },
    { name: 'saslMechanisms', kind: 'string', create: true },
    { name: 'authenticatePeer', kind: 'boolean', default: false, create: true },
    { name: 'requireEncryption', kind: 'boolean', default: false, create: true },
    { name: 'requireSsl', kind: 'boolean', default: false, create: true },
    { name: 'maxFrameSize', kind: 'integer', default: 16384, create: true },
    { name: 'maxSessions', kind: 'integer', default: 32768, create: true },
    { name: 'maxSessionFrames', kind: 'integer', create: true },
    { name: 'idleTimeoutSeconds', kind: 'integer', default: 16, create: true },
    { name: 'initialHandshakeTimeoutSeconds', kind: 'integer', default: 0, create: true },
    { name: 'stripAnnotations', kind: 'enum', values: STRIP, default: 'both', create: true },
    { name: 'linkCapacity', kind: 'integer', create: true },
    { name: 'failoverUrls', kind: 'string', create: true },
    { name: 'healthz', kind: 'boolean', default: true, create: true },
    { name: 'metrics', kind: 'boolean', default: true, create: true },
    { name: 'websockets', kind: 'boolean', default: true, create: true },
    { name: 'http', kind: 'boolean', default: false, create: true },
    { name: 'httpRootDir', kind: 'path', create: true },
    { name: 'messageLoggingComponents', kind: 'string', default: 'none', create: true },
    { name: 'policyVhost', kind: 'string', create: true },
    { name: 'openProperties', kind: 'properties', create: true },
  ]),
};

export const CONNECTOR: EntityTypeSpec = {
  name: 'connector',
  agent: 'python',
  operations: ['CREATE', 'DELETE'],
  identity: 'hostPortName',
  attributes: own([
    { name: 'host', kind: 'string', default: '127.0.0.1', create: true },
    { name: 'port', kind: 'string', default: 'amqp', create: true },
    { name: 'socketAddressFamily', kind: 'enum', values: ['IPv4', 'IPv6'], create: true },
    { name: 'role', kind: 'enum', values: ROLES, default: 'normal', create: true },
    { name: 'cost', kind: 'integer', default: 1, create: true },
    { name: 'sslProfile', kind: 'string', create: true },
    { name: 'proxyProfile', kind: 'string', create: true },
    { name: 'saslMechanisms', kind: 'string', create: true },
    { name: 'allowRedirect', kind: 'boolean', default: true, create: true },
    { name: 'maxFrameSize', kind: 'integer', default: 16384, create: true },
    { name: 'maxSessions', kind: 'integer', default: 32768, create: true },
    { name: 'maxSessionFrames', kind: 'integer', create: true },
    { name: 'idleTimeoutSeconds', kind: 'integer', default: 16, create: true },
    { name: 'stripAnnotations', kind: 'enum', values: STRIP, default: 'both', create: true },
    { name: 'linkCapacity', kind: 'integer', create: true },
    { name: 'verifyHostname', kind: 'boolean', default: true, create: true },
    { name: 'saslUsername', kind: 'string', create: true },
    { name: 'saslPassword', kind: 'string', create: true, hidden: true },
    { name: 'messageLoggingComponents', kind: 'string', default: 'none', create: true },
    { name: 'failoverUrls', kind: 'string' },
    { name: 'connectionStatus', kind: 'string' },
    { name: 'connectionMsg', kind: 'string' },
    { name: 'policyVhost', kind: 'string', create: true },
    { name: 'openProperties', kind: 'properties', create: true },
  ]),
};

export const TCP_LISTENER: EntityTypeSpec = {
  name: 'tcpListener',
  agent: 'python',
  operations: ['CREATE', 'UPDATE', 'DELETE'],
  identity: 'hostPortName',
  attributes: own([
    { name: 'address', kind: 'string', create: true },
    { name: 'host', kind: 'string', default: '', create: true },
    { name: 'backlog', kind: 'integer', default: 0, create: true },
    { name: 'port', kind: 'string', create: true, required: true },
    { name: 'multiAddressStrategy', kind: 'enum', values: ['none', 'priority', 'weighted'], default: 'none', create: true },
    { name: 'siteId', kind: 'string', create: true },
    { name: 'connectionsOpened', kind: 'integer' },
    { name: 'connectionsClosed', kind: 'integer' },
    { name: 'bytesIn', kind: 'integer' },
    { name: 'bytesOut', kind: 'integer' },
    { name: 'sslProfile', kind: 'string', create: true },
    { name: 'authenticatePeer', kind: 'boolean', default: false, create: true },
    { name: 'operStatus', kind: 'enum', values: ['up', 'down'] },
    { name: 'connectionMsg', kind: 'string' },
    { name: 'observer', kind: 'enum', values: ['none', 'auto', 'http1', 'http2'], default: 'auto', create: true, update: true },
  ]),
};

export const TCP_CONNECTOR: EntityTypeSpec = {
  name: 'tcpConnector',
  agent: 'python',
  operations: ['CREATE', 'DELETE'],
  identity: 'hostPortName',
  attributes: own([
    { name: 'address', kind: 'string', create: true, required: true },
    { name: 'host', kind: 'string', default: '127.0.0.1', create: true },
    { name: 'port', kind: 'string', create: true, required: true },
    { name: 'siteId', kind: 'string', create: true },
    { name: 'processId', kind: 'string', create: true },
    { name: 'connectionsOpened', kind: 'integer' },
    { name: 'connectionsClosed', kind: 'integer' },
    { name: 'bytesIn', kind: 'integer' },
    { name: 'bytesOut', kind: 'integer' },
    { name: 'sslProfile', kind: 'string', create: true },
    { name: 'verifyHostname', kind: 'boolean', default: true, create: true },
  ]),
};

export const LOG: EntityTypeSpec = {
  name: 'log',
  agent: 'python',
  operations: ['UPDATE'],
  identity: 'module',
  attributes: own([
    { name: 'module', kind: 'enum', values: LOG_MODULES, required: true, create: true },
    { name: 'enable', kind: 'string', create: true, update: true },
    { name: 'includeTimestamp', kind: 'boolean', create: true, update: true },
    { name: 'includeSource', kind: 'boolean', create: true, update: true },
    { name: 'outputFile', kind: 'string', create: true, update: true },
  ]),
};

/** Answered by skupper-router's C agent: its column array puts name/identity/type first. */
export const CONFIG_ADDRESS: EntityTypeSpec = {
  name: 'router.config.address',
  configName: 'address',
  agent: 'core',
  operations: ['CREATE', 'DELETE'],
  identity: 'counter',
  attributes: [
    ...ENTITY_ATTRIBUTES,
    { name: 'prefix', kind: 'string', create: true },
    { name: 'distribution', kind: 'enum', values: DISTRIBUTIONS, default: 'balanced', create: true },
    { name: 'pattern', kind: 'string', create: true },
    { name: 'priority', kind: 'integer', create: true },
  ],
};

export const CONFIG_TYPES: readonly EntityTypeSpec[] = [
  ROUTER, SSL_PROFILE, LISTENER, CONNECTOR, TCP_LISTENER, TCP_CONNECTOR, LOG, CONFIG_ADDRESS,
];
