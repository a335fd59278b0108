/**
 * The shape of Skiff's entity schema: one table (schema-config.ts, schema-operational.ts) drives
 * config validation, defaults, management attribute lists, QUERY column order and the operations
 * each type allows — the role skrouter.json plays for skupper-router.
 */

/** Attribute kinds as skrouter.json names them; `path` and `entityId` are strings with a meaning. */
export const AttributeKind = {
  string: 'string',
  path: 'path',
  entityId: 'entityId',
  integer: 'integer',
  boolean: 'boolean',
  enum: 'enum',
  map: 'map',
  list: 'list',
  properties: 'properties',
} as const;
export type AttributeKind = (typeof AttributeKind)[keyof typeof AttributeKind];

/**
 * The AMQP type an integer attribute takes in management answers. skupper-router's Python agent
 * sends Python ints (AMQP int, long past 32 bits); its C agent picks uint/ulong/long per column.
 */
export type IntegerWire = 'int' | 'uint' | 'ulong' | 'long';

export type AttributeDefault = string | number | boolean;

export interface AttributeSpec {
  readonly name: string;
  readonly kind: AttributeKind;
  /** Allowed values of an enum, in schema order (an enum also accepts its index, as skupper-router does). */
  readonly values?: readonly string[];
  readonly default?: AttributeDefault;
  readonly required?: boolean;
  /** May be given in a config file or a management CREATE. */
  readonly create?: boolean;
  /** May be changed by a management UPDATE. */
  readonly update?: boolean;
  /** Never shown in management answers (secrets). */
  readonly hidden?: boolean;
  /** AMQP type of an integer (or of a map's integer values) in management answers; default 'int'. */
  readonly wire?: IntegerWire;
  /** A column that repeats another attribute's value in management answers. */
  readonly sameAs?: string;
}

export const Operation = {
  create: 'CREATE',
  read: 'READ',
  update: 'UPDATE',
  delete: 'DELETE',
} as const;
export type Operation = (typeof Operation)[keyof typeof Operation];

/**
 * How an entity's identity is made, following skupper-router's agent: listeners and connectors use
 * `<host>:<port>:<name>`, profiles their name, the router its id, logs their module, addresses a
 * per-type counter;
 * operational entities get theirs from the router.
 */
export type IdentityRule = 'hostPortName' | 'name' | 'id' | 'module' | 'counter' | 'provided';

/**
 * Which of skupper-router's two agents answers for the type. It decides the shape of QUERY answers:
 * the Python agent lists own attributes then name/identity/type; the C agent has fixed column arrays.
 */
export type AgentKind = 'python' | 'core';

export interface EntityTypeSpec {
  /** Short name as in skrouter.json: `listener`, `router.config.address`, `router.node`. */
  readonly name: string;
  /** Name used in config files when it differs (`address` for router.config.address). */
  readonly configName?: string;
  readonly agent: AgentKind;
  /** Operations beyond READ (which every entity allows). */
  readonly operations: readonly Operation[];
  readonly singleton?: boolean;
  readonly identity: IdentityRule;
  /** Every attribute, name/identity/type included, in the order a QUERY for all attributes returns them. */
  readonly attributes: readonly AttributeSpec[];
  /** Value of the `type` attribute when it is not the full type name (a skupper-router quirk, kept for tools). */
  readonly typeValue?: string;
}

/** Prefix that makes a short type name a full one. */
export const TYPE_PREFIX = 'io.skupper.router.';

export function fullTypeName(shortName: string): string {
  return TYPE_PREFIX + shortName;
}

/** The common attributes every entity has; the Python agent lists them after the type's own. */
export const ENTITY_ATTRIBUTES: readonly AttributeSpec[] = [
  { name: 'name', kind: 'string', create: true },
  { name: 'identity', kind: 'string' },
  { name: 'type', kind: 'string', create: true },
];
