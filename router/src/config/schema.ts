/**
 * The entity schema: lookups over the configurable and operational type tables. Config files name
 * types by short name (`listener`, `address`); management by full name
 * (`io.skupper.router.listener`, `io.skupper.router.router.config.address`). Both resolve here.
 */
import { CONFIG_TYPES } from './schema-config.js';
import { OPERATIONAL_TYPES } from './schema-operational.js';
import { TYPE_PREFIX, fullTypeName, type AttributeSpec, type EntityTypeSpec, type Operation } from './schema-types.js';

export * from './schema-types.js';
export { LOG_MODULES } from './schema-config.js';

/** Every entity type Skiff knows, configurable first, in a stable order (GET-TYPES lists them so). */
export const ENTITY_TYPES: readonly EntityTypeSpec[] = [...CONFIG_TYPES, ...OPERATIONAL_TYPES];

const byName = new Map<string, EntityTypeSpec>();
for (const spec of ENTITY_TYPES) {
  byName.set(spec.name, spec);
  byName.set(fullTypeName(spec.name), spec);
  if (spec.configName !== undefined) byName.set(spec.configName, spec);
}

const attributeIndex = new Map<EntityTypeSpec, Map<string, AttributeSpec>>(
  ENTITY_TYPES.map((spec) => [spec, new Map(spec.attributes.map((a) => [a.name, a]))]),
);

/**
 * Entity types skupper-router has but Skiff does not implement: a config naming them gets a
 * warning rather than an "unknown type" one, so users know the entity was understood and skipped.
 */
export const KNOWN_UNSUPPORTED_TYPES: ReadonlySet<string> = new Set([
  'network', 'site', 'proxyProfile', 'listenerAddress', 'router.config.autoLink', 'autoLink', 'policy', 'vhost',
  'vhostUserGroupSettings', 'httpListener', 'httpConnector', 'logStats', 'allocator', 'tcpConnection', 'vhostStats',
]);

/** `max-frame-size` and `ssl_profile` mean `maxFrameSize` and `sslProfile`, as in skupper-router's config reader. */
export function camelCase(name: string): string {
  return name.replace(/[-_]+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** The type named by a short, config or full name (or a dashed form of one); undefined when Skiff has none. */
export function findEntityType(name: string): EntityTypeSpec | undefined {
  return byName.get(name) ?? byName.get(camelCase(name));
}

/** The type's attribute of that name, or undefined. */
export function findAttribute(spec: EntityTypeSpec, name: string): AttributeSpec | undefined {
  return attributeIndex.get(spec)?.get(name);
}

/** Operations the type allows, in skupper-router's order: its own, then READ inherited from entity. */
export function operationsOf(spec: EntityTypeSpec): readonly Operation[] {
  return [...spec.operations, 'READ'];
}

export function allowsOperation(spec: EntityTypeSpec, operation: string): boolean {
  return operationsOf(spec).includes(operation as Operation);
}

/** Whether entities of the type come from configuration (else the router reports them). */
export function isConfigurable(spec: EntityTypeSpec): boolean {
  return CONFIG_TYPES.includes(spec);
}

/** Base types of a type, nearest first, as GET-TYPES reports them. */
export function baseTypesOf(spec: EntityTypeSpec): readonly string[] {
  const kind = isConfigurable(spec) ? 'configurationEntity' : 'operationalEntity';
  return [fullTypeName(kind), fullTypeName('entity')];
}

/** Strips the `io.skupper.router.` prefix when present. */
export function shortTypeName(name: string): string {
  return name.startsWith(TYPE_PREFIX) ? name.slice(TYPE_PREFIX.length) : name;
}
