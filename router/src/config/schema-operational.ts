/**
 * Operational (read-only) entity types. All but router.node are answered by skupper-router's C
 * agent, whose QUERY columns and AMQP integer types come from fixed C arrays rather than from
 * skrouter.json; they are copied here in the order recorded on the wire (management/*.jsonl) so
 * that skstat and skmanage read Skiff's answers exactly as they read skupper-router's.
 */
import { ENTITY_ATTRIBUTES, type AttributeSpec, type EntityTypeSpec, type IntegerWire } from './schema-types.js';

const str = (name: string): AttributeSpec => ({ name, kind: 'string' });
const bool = (name: string): AttributeSpec => ({ name, kind: 'boolean' });
const int = (name: string, wire: IntegerWire): AttributeSpec => ({ name, kind: 'integer', wire });
const counters = (wire: IntegerWire, ...names: string[]): AttributeSpec[] => names.map((n) => int(n, wire));

export const CONNECTION: EntityTypeSpec = {
  name: 'connection',
  agent: 'core',
  operations: ['UPDATE'],
  identity: 'provided',
  attributes: [
    str('name'), str('identity'), str('host'), str('localSocket'), str('role'), str('protocol'),
    { name: 'dir', kind: 'enum', values: ['in', 'out'] },
    str('container'), str('sasl'), bool('isAuthenticated'), str('user'), bool('isEncrypted'),
    str('sslProto'), str('sslCipher'),
    { name: 'properties', kind: 'map', wire: 'int' },
    int('sslSsf', 'long'), str('type'), bool('ssl'), bool('opened'), bool('active'),
    { name: 'adminStatus', kind: 'enum', values: ['enabled', 'deleted'], default: 'enabled', update: true },
    { name: 'operStatus', kind: 'enum', values: ['up', 'closing'] },
    int('uptimeSeconds', 'uint'), int('lastDlvSeconds', 'uint'),
    { name: 'enableProtocolTrace', kind: 'boolean', default: false, update: true },
    str('meshId'), int('tlsOrdinal', 'ulong'), str('groupCorrelationId'), int('groupOrdinal', 'ulong'),
  ],
};

export const ROUTER_LINK: EntityTypeSpec = {
  name: 'router.link',
  agent: 'core',
  operations: [],
  identity: 'provided',
  attributes: [
    ...ENTITY_ATTRIBUTES,
    str('linkName'),
    { name: 'linkType', kind: 'enum', values: ['endpoint', 'router-control', 'inter-router', 'edge-downlink', 'inter-edge'] },
    { name: 'linkDir', kind: 'enum', values: ['in', 'out'] },
    str('owningAddr'), int('capacity', 'uint'),
    ...counters('ulong', 'undeliveredCount', 'unsettledCount', 'deliveryCount'),
    str('connectionId'),
    { name: 'operStatus', kind: 'enum', values: ['up', 'down', 'quiescing', 'idle'] },
    ...counters('ulong', 'presettledCount', 'droppedPresettledCount', 'acceptedCount', 'rejectedCount',
      'releasedCount', 'modifiedCount', 'deliveriesDelayed1Sec', 'deliveriesDelayed10Sec', 'deliveriesStuck',
      'openMovedStreams'),
    { name: 'ingressHistogram', kind: 'list', wire: 'ulong' },
    ...counters('uint', 'priority', 'settleRate', 'creditAvailable', 'zeroCreditSeconds'),
    // skupper-router's column array ends with an unnamed, always-null column: kept, as for routerMetrics.
    str(''),
  ],
};

export const ROUTER_ADDRESS: EntityTypeSpec = {
  name: 'router.address',
  agent: 'core',
  operations: [],
  identity: 'provided',
  attributes: [
    ...ENTITY_ATTRIBUTES,
    str('key'),
    { name: 'distribution', kind: 'enum', values: ['flood', 'multicast', 'closest', 'balanced', 'linkBalanced', 'unavailable'] },
    ...counters('uint', 'inProcess', 'subscriberCount', 'remoteCount'),
    { name: 'remoteHostRouters', kind: 'list' },
    ...counters('ulong', 'deliveriesIngress', 'deliveriesEgress', 'deliveriesTransit', 'deliveriesToContainer',
      'deliveriesFromContainer', 'deliveriesEgressRouteContainer', 'deliveriesIngressRouteContainer',
      'deliveriesEgressInterNetwork', 'deliveriesIngressInterNetwork'),
    { name: 'transitOutstanding', kind: 'list', wire: 'long' },
    int('trackedDeliveries', 'long'), int('priority', 'int'), int('deliveriesRedirectedToFallback', 'ulong'),
    bool('watch'),
  ],
};

/** Answered by the Python agent: own attributes, then name/identity/type; ints are AMQP int. */
export const ROUTER_NODE: EntityTypeSpec = {
  name: 'router.node',
  agent: 'python',
  operations: [],
  identity: 'provided',
  attributes: [
    str('id'), int('protocolVersion', 'int'), int('instance', 'int'),
    { name: 'linkState', kind: 'list' },
    str('nextHop'),
    { name: 'validOrigins', kind: 'list' },
    str('address'),
    { name: 'routerLink', kind: 'entityId' },
    int('cost', 'int'), int('lastTopoChange', 'int'), int('index', 'int'),
    ...ENTITY_ATTRIBUTES,
  ],
};

/**
 * skupper-router's routerMetrics column array has 31 names but its count says 32, so the answer
 * carries a last column named "" (where the C code writes the version) and the `type` column
 * says "org.apache.qpid.dispatch.routerMetrics". Both quirks are kept: tools were written
 * against these answers. Skiff fills both "version" and "" with its version.
 */
export const ROUTER_METRICS: EntityTypeSpec = {
  name: 'routerMetrics',
  agent: 'core',
  operations: [],
  identity: 'provided',
  typeValue: 'org.apache.qpid.dispatch.routerMetrics',
  attributes: [
    str('identity'), str('type'), str('id'),
    ...counters('ulong', 'addrCount', 'linkCount', 'nodeCount', 'autoLinkCount', 'connectionCount',
      'presettledDeliveries', 'droppedPresettledDeliveries', 'acceptedDeliveries', 'rejectedDeliveries',
      'releasedDeliveries', 'modifiedDeliveries', 'deliveriesDelayed1Sec', 'deliveriesDelayed10Sec',
      'deliveriesStuck', 'deliveriesIngress', 'deliveriesEgress', 'deliveriesTransit',
      'deliveriesIngressRouteContainer', 'deliveriesEgressRouteContainer', 'deliveriesIngressInterNetwork',
      'deliveriesEgressInterNetwork', 'deliveriesRedirectedToFallback'),
    int('linksBlocked', 'uint'), int('uptimeSeconds', 'uint'),
    int('memoryUsage', 'ulong'), int('residentMemoryUsage', 'ulong'),
    { name: 'connectionCounters', kind: 'map', wire: 'ulong' },
    str('version'), { name: '', kind: 'string', sameAs: 'version' },
  ],
};

/** The network this router belongs to (inter-network routing): skstat -g reads it; ids unset here. */
export const NETWORK: EntityTypeSpec = {
  name: 'network',
  agent: 'python',
  operations: [],
  singleton: true,
  identity: 'provided',
  attributes: [str('networkId'), str('tenantId'), ...ENTITY_ATTRIBUTES],
};

/**
 * Memory pools (skstat -m). skupper-router lists its C allocator's pools; Skiff lists the pools of
 * its one V8 heap, one entity per heap space, sized in bytes (typeSize 1).
 */
export const ALLOCATOR: EntityTypeSpec = {
  name: 'allocator',
  agent: 'python',
  operations: [],
  identity: 'provided',
  attributes: [
    str('typeName'),
    ...counters('int', 'typeSize', 'transferBatchSize', 'localFreeListMax', 'globalFreeListMax', 'totalAllocFromHeap',
      'totalFreeToHeap', 'heldByThreads', 'batchesRebalancedToThreads', 'batchesRebalancedToGlobal'),
    ...ENTITY_ATTRIBUTES,
  ],
};

/** Auto-links (skstat --autolinks): Skiff makes none, so the type is always empty. */
export const AUTO_LINK: EntityTypeSpec = {
  name: 'router.config.autoLink',
  configName: 'autoLink',
  agent: 'core',
  operations: [],
  identity: 'provided',
  attributes: [
    ...ENTITY_ATTRIBUTES,
    str('address'), { name: 'direction', kind: 'enum', values: ['in', 'out'] }, str('connection'), str('containerId'),
    str('externalAddress'), str('linkRef'), { name: 'operStatus', kind: 'enum', values: ['inactive', 'active', 'quiescing', 'failed'] },
    str('lastError'),
  ],
};

export const OPERATIONAL_TYPES: readonly EntityTypeSpec[] = [
  CONNECTION, ROUTER_LINK, ROUTER_ADDRESS, ROUTER_NODE, ROUTER_METRICS, NETWORK, ALLOCATOR, AUTO_LINK,
];
