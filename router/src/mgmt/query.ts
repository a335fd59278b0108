/**
 * Answers to the management node's own operations: QUERY (a table of attributes over entities)
 * and the schema questions GET-TYPES, GET-ATTRIBUTES, GET-OPERATIONS and GET-SCHEMA. Shapes follow
 * skupper-router's agent: QUERY answers `{attributeNames, results}`; the GET-* answers map full
 * type names to lists.
 */
import { AmqpMap, type AmqpValue } from '../amqp/codec/values.js';
import { ManagementError } from '../errors.js';
import { ENTITY_TYPES, baseTypesOf, findAttribute, findEntityType, fullTypeName, operationsOf } from '../config/schema.js';
import type { AttributeValue } from '../config/coerce.js';
import type { EntityTypeSpec } from '../config/schema-types.js';
import type { EntityRegistry } from './registry.js';
import { attributeToAmqp, toAmqp, type ManagedAttributes, type ManagedValue } from './wire-values.js';

/** The type a request names, or a 400 as skupper-router answers for names it does not know. */
export function requireType(name: string): EntityTypeSpec {
  const spec = findEntityType(name);
  if (spec === undefined) throw new ManagementError(400, `No such entity type '${name}'`);
  return spec;
}

/** An entity's value for an attribute as management shows it (type column and repeated columns included). */
export function valueOf(spec: EntityTypeSpec, entity: ManagedAttributes, name: string): ManagedValue | undefined {
  if (name === 'type') return spec.typeValue ?? fullTypeName(spec.name);
  const attr = findAttribute(spec, name);
  if (attr?.hidden === true) return undefined;
  return entity[attr?.sameAs ?? name];
}

/** The attribute map READ, CREATE and UPDATE answer with: set attributes in schema order. */
export function attributeMap(spec: EntityTypeSpec, entity: ManagedAttributes): AmqpMap {
  const map = new AmqpMap();
  for (const attr of spec.attributes) {
    const value = valueOf(spec, entity, attr.name);
    if (value !== undefined && value !== null) map.set(attr.name, attributeToAmqp(attr, value));
  }
  return map;
}

export interface QueryRequest {
  entityType: string | undefined;
  attributeNames: readonly string[];
  offset: number;
  count: number | undefined;
}

export function query(registry: EntityRegistry, request: QueryRequest): AmqpMap {
  const specs = request.entityType === undefined ? registry.types() : [requireType(request.entityType)];
  const all = [...new Set(specs.flatMap((s) => s.attributes.map((a) => a.name)))];
  let names = request.attributeNames;
  if (names.length === 0) {
    names = all;
  } else if (specs.length === 1 && specs[0]!.agent === 'core') {
    // skupper-router's C agent reads a name it has no column for as its first column (skstat -l
    // asks for adminStatus, which router.link lacks, and gets the link's name there).
    names = names.map((n) => (all.includes(n) ? n : all[0]!));
  } else {
    const unknown = names.filter((n) => !all.includes(n));
    if (unknown.length > 0) {
      const forType = request.entityType === undefined ? '' : ` for type ${fullTypeName(specs[0]!.name)}`;
      throw new ManagementError(404, `Unknown attributes ${JSON.stringify(unknown)}${forType}.`);
    }
  }
  const rows: AmqpValue[][] = [];
  for (const spec of specs) {
    for (const entity of registry.list(spec)) {
      const row = names.map((n) => attributeToAmqp(findAttribute(spec, n), valueOf(spec, entity, n)));
      // Like skupper-router, an entity with none of the asked-for attributes gives no row.
      if (row.some((v) => v !== null)) rows.push(row);
    }
  }
  const end = request.count === undefined ? undefined : request.offset + request.count;
  return AmqpMap.withStringKeys({ attributeNames: [...names], results: rows.slice(request.offset, end) });
}

/** The types a GET-* request is about: the one it names, or all. */
function typesFor(entityType: string | undefined): readonly EntityTypeSpec[] {
  return entityType === undefined ? ENTITY_TYPES : [requireType(entityType)];
}

function perType(entityType: string | undefined, values: (spec: EntityTypeSpec) => readonly string[]): AmqpMap {
  return new AmqpMap(typesFor(entityType).map((s): [AmqpValue, AmqpValue] => [fullTypeName(s.name), [...values(s)]]));
}

export const getTypes = (entityType: string | undefined): AmqpMap => perType(entityType, baseTypesOf);
export const getOperations = (entityType: string | undefined): AmqpMap => perType(entityType, operationsOf);
export const getAttributes = (entityType: string | undefined): AmqpMap =>
  perType(entityType, (s) => s.attributes.map((a) => a.name));

/** A JSON-like description of the schema, shaped like skupper-router's GET-SCHEMA answer. */
export function getSchema(): AmqpMap {
  const types: Record<string, AttributeValue> = {};
  for (const spec of ENTITY_TYPES) {
    const attributes: Record<string, AttributeValue> = {};
    for (const a of spec.attributes) {
      if (a.name === 'type' || a.name === '') continue;
      const entry: Record<string, AttributeValue> = { type: a.kind === 'enum' ? [...(a.values ?? [])] : a.kind };
      if (a.default !== undefined) entry.default = a.default;
      if (a.required === true) entry.required = true;
      if (a.create === true) entry.create = true;
      if (a.update === true) entry.update = true;
      attributes[a.name] = entry;
    }
    types[spec.configName ?? spec.name] = {
      attributes,
      operations: [...operationsOf(spec)],
      fullyQualifiedType: fullTypeName(spec.name),
    };
  }
  return toAmqp({ prefix: 'io.skupper.router', entityTypes: types }) as AmqpMap;
}
