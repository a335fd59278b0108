/**
 * The router config the controller writes into ConfigMap `skupper-router` (key `skrouterd.json`, a
 * skupper-router JSON config: `[[type, attributes], ...]`), read as the adaptor needs it: the
 * router's id and mode, and the entities it keeps the running router at.
 */
import { RouterConfigKey, RouterConfigMap } from '../../../common/src/kube-api/names.js';
import { AdaptorError, AdaptorErrorCode } from './errors.js';

/**
 * The types the adaptor syncs over management; the others only take effect at router start.
 * tcpListener and tcpConnector belong to the service-controller (ADR 0005): the adaptor never
 * touches them.
 */
export const SyncedTypes = ['sslProfile', 'connector', 'listener'] as const;
export type SyncedType = (typeof SyncedTypes)[number];

export type Attributes = Readonly<Record<string, unknown>>;

export interface RouterEntity {
  type: SyncedType;
  name: string;
  attributes: Attributes;
}

export interface RouterConfig {
  routerId: string;
  mode: string;
  entities: RouterEntity[];
}

/** Host and port the router assumes when they are left out, for the name it gives a nameless entity. */
const DEFAULT_HOST: Readonly<Record<SyncedType, string>> = { sslProfile: '', connector: '127.0.0.1', listener: '' };

function isSynced(type: string): type is SyncedType {
  return (SyncedTypes as readonly string[]).includes(type);
}

export function parseRouterConfig(text: string): RouterConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw configError(`is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value)) throw configError('is not a list of [type, attributes] entries');
  let routerId = '';
  let mode = 'interior';
  const entities: RouterEntity[] = [];
  value.forEach((entry: unknown, index) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'object' || entry[1] === null) {
      throw configError(`entry ${index} is not a [type, attributes] pair`);
    }
    const [type, attributes] = entry as [string, Record<string, unknown>];
    if (type === 'router') {
      routerId = typeof attributes.id === 'string' ? attributes.id : routerId;
      mode = typeof attributes.mode === 'string' ? attributes.mode : mode;
      return;
    }
    if (!isSynced(type)) return;
    const name = typeof attributes.name === 'string' && attributes.name !== '' ? attributes.name : defaultName(type, attributes);
    entities.push({ type, name, attributes: { ...attributes, name } });
  });
  return { routerId, mode, entities };
}

/** skupper-router's name for a nameless entity: `<type>/<host>:<port>`. */
function defaultName(type: SyncedType, attributes: Record<string, unknown>): string {
  const host = attributes.host === undefined ? DEFAULT_HOST[type] : String(attributes.host);
  return `${type}/${host}:${String(attributes.port ?? 'amqp')}`;
}

function configError(what: string): AdaptorError {
  return new AdaptorError(AdaptorErrorCode.SKIFF_ERR_ADAPTOR_CONFIG, `ConfigMap ${RouterConfigMap}: ${RouterConfigKey} ${what}`);
}

/** The sslProfiles of a config: the ones whose files the adaptor writes. */
export function sslProfiles(config: RouterConfig): string[] {
  return config.entities.filter((e) => e.type === 'sslProfile').map((e) => e.name);
}
