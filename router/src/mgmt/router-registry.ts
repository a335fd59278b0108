/**
 * Builds the registry a router process serves: a store per configurable type seeded from the
 * loaded config (with the router's hooks), a `log` store holding every module (as skupper-router
 * lists them all) whose UPDATE reconfigures logging at once, and the router's callbacks for the
 * operational types.
 */
import { ConfigError } from '../errors.js';
import { configureLog } from '../log.js';
import { LOG_MODULES } from '../config/schema.js';
import type { ConfigurableType, LogSettings, RouterConfig } from '../config/settings.js';
import { validateEntity, type ValidatedEntity } from '../config/validate.js';
import { ConfigEntityStore, type EntityHooks } from './entity-store.js';
import { heapPools } from './heap-pools.js';
import { EntityRegistry, type EntityProvider } from './registry.js';
import type { ManagedAttributes } from './wire-values.js';

export type RouterHooks = { [K in ConfigurableType]?: EntityHooks<K> };

/** Live state for an operational type: a list read at each request, or a provider that also takes UPDATEs. */
export type OperationalSource = (() => readonly ManagedAttributes[]) | EntityProvider;

export interface OperationalSources {
  connection?: OperationalSource;
  'router.link'?: OperationalSource;
  'router.address'?: OperationalSource;
  'router.node'?: OperationalSource;
  routerMetrics?: OperationalSource;
  network?: OperationalSource;
  allocator?: OperationalSource;
  'router.config.autoLink'?: OperationalSource;
}

/** What a router answers for the types it has nothing of its own to say about. */
const DEFAULT_SOURCES: OperationalSources = {
  network: () => [{ networkId: null, tenantId: null, name: 'network/0', identity: 'network/0' }],
  allocator: heapPools,
  'router.config.autoLink': () => [],
};

export type RouterStores = { [K in ConfigurableType]: ConfigEntityStore<K> };

/** Applies `log` settings to the logger; skupper-router's "DEFAULT" module sets every other one. */
export function applyLogSettings(logs: readonly LogSettings[]): void {
  for (const log of logs) {
    const update: Parameters<typeof configureLog>[1] = {};
    if (log.enable !== undefined) update.enable = log.enable;
    if (log.includeTimestamp !== undefined) update.includeTimestamp = log.includeTimestamp;
    if (log.outputFile !== undefined) update.outputFile = log.outputFile;
    configureLog(log.module, update);
  }
}

function defaultLogEntity(module: string): ValidatedEntity {
  const { entity } = validateEntity('log', { module });
  if (entity === undefined) throw new ConfigError(`log module ${module} is not valid`);
  return entity;
}

/** A log store with one entity per module; configured ones from `entities`, others with no settings. */
function logStore(entities: readonly ValidatedEntity[], extra: EntityHooks<'log'> | undefined): ConfigEntityStore<'log'> {
  const store = new ConfigEntityStore('log', {
    ...extra,
    onUpdate: async (settings, previous, attributes) => {
      await extra?.onUpdate?.(settings, previous, attributes);
      applyLogSettings([settings]);
    },
  });
  const configured = new Map(entities.filter((e) => e.type === 'log').map((e) => [e.settings.module, e]));
  for (const module of LOG_MODULES) store.seed(configured.get(module) ?? defaultLogEntity(module));
  return store;
}

export function createRouterRegistry(
  config: RouterConfig,
  hooks: RouterHooks = {},
  sources: OperationalSources = {},
): { registry: EntityRegistry; stores: RouterStores } {
  const stores: RouterStores = {
    router: new ConfigEntityStore('router', hooks.router),
    sslProfile: new ConfigEntityStore('sslProfile', hooks.sslProfile),
    listener: new ConfigEntityStore('listener', hooks.listener),
    connector: new ConfigEntityStore('connector', hooks.connector),
    tcpListener: new ConfigEntityStore('tcpListener', hooks.tcpListener),
    tcpConnector: new ConfigEntityStore('tcpConnector', hooks.tcpConnector),
    'router.config.address': new ConfigEntityStore('router.config.address', hooks['router.config.address']),
    log: logStore(config.entities, hooks.log),
  };
  for (const entity of config.entities) if (entity.type !== 'log') stores[entity.type].seed(entity);
  const registry = new EntityRegistry();
  for (const store of Object.values(stores)) registry.register(store.type, store);
  for (const [type, source] of Object.entries({ ...DEFAULT_SOURCES, ...sources })) {
    if (source !== undefined) registry.register(type, typeof source === 'function' ? { list: source } : source);
  }
  return { registry, stores };
}
