/**
 * Validates one entity — from a config file or a management CREATE — against the schema: names
 * the type, coerces values leniently, applies defaults, checks what skupper-router would refuse
 * (and what Skiff cannot do), and builds typed settings. Cross-entity rules (duplicate names,
 * references to sslProfiles) use the lookups in `ValidationContext`.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { MIN_MAX_FRAME_SIZE } from '../amqp/codec/frames.js';
import { parseEnable } from '../log.js';
import { badValue, coerceAttribute, integerOf, type AttributeMap } from './coerce.js';
import { defaultNameOf, displayTypeName, entityLabel, identityOf } from './identity.js';
import { KNOWN_UNSUPPORTED_TYPES, camelCase, findAttribute, findEntityType, fullTypeName, isConfigurable, shortTypeName } from './schema.js';
import type { EntityTypeSpec } from './schema-types.js';
import { buildSettings, type Derived } from './settings-build.js';
import { SUPPORTED_ROLES, type ConfigurableType, type SettingsByType } from './settings.js';
import { loadTlsMaterial } from './tls-material.js';

export interface ValidationContext {
  /** Whether an sslProfile of this name exists; without it references are not checked. */
  hasSslProfile?: (name: string) => boolean;
  /** Refuse attributes the schema lacks (management) instead of warning about them (config files). */
  strict?: boolean;
  /** Numbers entities whose identity is a counter (router.config.address). */
  counter?: number;
  /** Where the entity is, for messages: "entry 3". */
  where?: string;
}

export type ValidatedEntity = {
  [K in ConfigurableType]: {
    type: K;
    spec: EntityTypeSpec;
    /** Every attribute with defaults applied, plus name, identity and the full type name. */
    attributes: AttributeMap;
    settings: SettingsByType[K];
  };
}[ConfigurableType];

export interface ValidationResult {
  /** Undefined when the entity is understood but skipped (see warnings). */
  entity?: ValidatedEntity;
  warnings: string[];
}

/** Connection roles skupper-router has and Skiff does not. */
const UNSUPPORTED_ROLES = new Set(['route-container', 'inter-edge', 'inter-network']);
const SERVICE_PORTS: Readonly<Record<string, number>> = { amqp: 5672, amqps: 5671 };

function nameHint(attributes: Record<string, unknown>): string | undefined {
  for (const key of ['name', 'module', 'id']) {
    const v = attributes[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** Validates one entity of the named type (short, config or full name). */
export function validateEntity(type: string, input: Record<string, unknown>, context: ValidationContext = {}): ValidationResult {
  const warnings: string[] = [];
  const where = context.where === undefined ? '' : ` (${context.where})`;
  const spec = findEntityType(type);
  if (spec === undefined || !isConfigurable(spec)) {
    const known = KNOWN_UNSUPPORTED_TYPES.has(camelCase(shortTypeName(type)));
    const text = known || spec !== undefined
      ? `entity type '${type}'${where} is not supported by Skiff; ignored`
      : `unknown entity type '${type}'${where}; ignored`;
    if (context.strict === true) throw new ConfigError(text.replace(/; ignored$/, ''), { entity: type });
    return { warnings: [text] };
  }
  const label = entityLabel(spec, nameHint(input)) + where;
  const attributes = coerceAll(spec, input, label, context, warnings);
  const skipped = unsupportedValue(spec, attributes);
  if (skipped !== undefined) return { warnings: [...warnings, `${label}: ${skipped}; entity ignored`] };
  const given = new Map(Object.entries(input).map(([k, v]) => [camelCase(k), v]));
  const derived = checkSemantics(spec, attributes, given, label, context, warnings);
  const counter = context.counter ?? 1;
  // The identity is made before a default name, so a nameless listener is `listener/<host>:<port>`.
  attributes.identity = identityOf(spec, attributes, counter);
  if (typeof attributes.name !== 'string' || attributes.name === '') attributes.name = defaultNameOf(spec, attributes, counter);
  attributes.type = fullTypeName(spec.name);
  const key = spec.name as ConfigurableType;
  const entity = { type: key, spec, attributes, settings: buildSettings(key, attributes, derived) } as ValidatedEntity;
  return { entity, warnings };
}

function coerceAll(spec: EntityTypeSpec, input: Record<string, unknown>, label: string, context: ValidationContext, warnings: string[]): AttributeMap {
  const out: AttributeMap = {};
  for (const [rawName, value] of Object.entries(input)) {
    const name = camelCase(rawName);
    if (name === 'type') continue;
    const attr = findAttribute(spec, name);
    if (attr === undefined || name === 'identity') {
      const text = `${label}: unknown attribute '${rawName}'`;
      if (context.strict === true) throw new ConfigError(`${text}\n  ${displayTypeName(spec)} attributes are: ${creatable(spec)}`, { entity: label, attribute: rawName });
      warnings.push(`${text}; ignored`);
      continue;
    }
    const coerced = coerceAttribute(attr, value, label);
    if (coerced !== null) out[name] = coerced;
  }
  for (const attr of spec.attributes) {
    if (out[attr.name] === undefined && attr.default !== undefined) out[attr.name] = attr.default;
    if (out[attr.name] === undefined && attr.required === true) {
      throw new ConfigError(`${label}: required attribute '${attr.name}' is missing`, { entity: label, attribute: attr.name });
    }
  }
  return out;
}

function creatable(spec: EntityTypeSpec): string {
  return spec.attributes.filter((a) => a.create === true && a.name !== 'type').map((a) => a.name).join(', ');
}

/** A reason to skip an entity Skiff understands but cannot run, or undefined. */
function unsupportedValue(spec: EntityTypeSpec, attributes: AttributeMap): string | undefined {
  const role = attributes.role;
  if ((spec.name === 'listener' || spec.name === 'connector') && typeof role === 'string' && UNSUPPORTED_ROLES.has(role)) {
    return `role '${role}' is not supported by Skiff (supported: ${SUPPORTED_ROLES.join(', ')})`;
  }
  const strategy = attributes.multiAddressStrategy;
  if (spec.name === 'tcpListener' && typeof strategy === 'string' && strategy !== 'none') {
    return `multiAddressStrategy '${strategy}' is not supported by Skiff`;
  }
  return undefined;
}

/**
 * A port as a number: digits or a service name (amqp, amqps); 0 only where `zeroAllowed`.
 * `given` is the value as written, for the message (the attribute itself is already a string).
 */
function portOf(attributes: AttributeMap, given: unknown, label: string, zeroAllowed: boolean): number {
  const raw = attributes.port;
  const value = typeof raw === 'string' && SERVICE_PORTS[raw] !== undefined ? SERVICE_PORTS[raw] : integerOf(raw);
  const low = zeroAllowed ? 0 : 1;
  if (value === undefined || value < low || value > 65535) {
    throw badValue(label, 'port', given ?? raw, `a port number ${low}-65535${zeroAllowed ? ' (0: any free port)' : ''}`);
  }
  return value;
}

function checkSemantics(
  spec: EntityTypeSpec,
  attributes: AttributeMap,
  given: ReadonlyMap<string, unknown>,
  label: string,
  context: ValidationContext,
  warnings: string[],
): Derived {
  const derived: Derived = { port: 0, dataConnectionCount: 0, tls: {} };
  const missing = (name: string, what: string): ConfigError =>
    new ConfigError(`${label}: required attribute '${name}' is missing\n  expected ${what}`, { entity: label, attribute: name });
  const need = (name: string, what: string): void => {
    if (attributes[name] === undefined || attributes[name] === '') throw missing(name, what);
  };
  const checkProfileRef = (): void => {
    const profile = attributes.sslProfile;
    if (typeof profile === 'string' && context.hasSslProfile !== undefined && !context.hasSslProfile(profile)) {
      throw new ConfigError(`${label}: sslProfile '${profile}' does not exist\n  define it with an sslProfile entity first, or fix the name`, {
        entity: label,
        attribute: 'sslProfile',
      });
    }
  };
  const atLeast = (name: string, low: number): void => {
    const value = attributes[name];
    if (typeof value === 'number' && value < low) throw badValue(label, name, given.get(name) ?? value, `a whole number of at least ${low}`);
  };
  // AMQP 1.0 sets 512 as the smallest max-frame-size; a link cost below 1 would break route costs.
  const checkAmqpLimits = (): void => {
    atLeast('maxFrameSize', MIN_MAX_FRAME_SIZE);
    atLeast('cost', 1);
  };
  switch (spec.name) {
    case 'router': {
      if (attributes.id === undefined) attributes.id = `${String(attributes.mode)}-${randomBytes(6).toString('hex')}`;
      // The id becomes a path segment of topological addresses (_topo/0/<id>/...).
      if (!/^[^/\s]+$/.test(String(attributes.id))) throw badValue(label, 'id', attributes.id, 'a router id without "/" or blanks');
      atLeast('workerThreads', 1);
      derived.dataConnectionCount = dataConnectionCount(attributes, label, warnings);
      break;
    }
    case 'sslProfile':
      need('name', 'a name that listeners and connectors refer to');
      derived.tls = loadTlsMaterial(attributes, label);
      break;
    case 'listener':
      derived.port = portOf(attributes, given.get('port'), label, true);
      checkProfileRef();
      checkAmqpLimits();
      break;
    case 'connector':
      // skupper-router would dial 127.0.0.1:amqp; a connector that names neither is a mistake.
      if (!given.has('host')) throw missing('host', 'the host name or address to connect to');
      if (!given.has('port')) throw missing('port', 'the port to connect to');
      derived.port = portOf(attributes, given.get('port'), label, false);
      checkProfileRef();
      checkAmqpLimits();
      break;
    case 'tcpListener':
      need('address', 'the service address this listener forwards to');
      derived.port = portOf(attributes, given.get('port'), label, true);
      checkProfileRef();
      break;
    case 'tcpConnector':
      derived.port = portOf(attributes, given.get('port'), label, false);
      checkProfileRef();
      break;
    case 'router.config.address': {
      const hasPrefix = typeof attributes.prefix === 'string';
      const hasPattern = typeof attributes.pattern === 'string';
      if (hasPrefix === hasPattern) {
        throw new ConfigError(`${label}: give exactly one of 'prefix' and 'pattern'`, { entity: label, attribute: 'prefix' });
      }
      break;
    }
    case 'log':
      if (typeof attributes.enable === 'string' && parseEnable(attributes.enable) === undefined) {
        throw badValue(label, 'enable', attributes.enable, 'levels like "info+", "debug,warning+" or "none"');
      }
      break;
  }
  return derived;
}

/** "auto" gives (workerThreads + 1) / 2 as in skupper-router; an unreadable value falls back to it. */
function dataConnectionCount(attributes: AttributeMap, label: string, warnings: string[]): number {
  const auto = Math.floor((Number(attributes.workerThreads ?? 4) + 1) / 2);
  const raw = attributes.dataConnectionCount;
  if (raw === 'auto' || raw === undefined) return auto;
  const n = integerOf(raw);
  if (n !== undefined && n >= 0) return n;
  warnings.push(`${label}: dataConnectionCount ${JSON.stringify(raw)} is neither "auto" nor a number; using auto (${auto})`);
  return auto;
}
