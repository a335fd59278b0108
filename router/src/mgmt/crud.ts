/**
 * CREATE, READ, UPDATE and DELETE of single entities, with skupper-router's rules: an entity is
 * found by `name` or `identity` (optionally checked against `type`); CREATE takes type and name
 * from the properties or the body (they must agree) and only attributes marked `create`; UPDATE
 * may change only `update` attributes (repeating an unchanged value is allowed); an operation the
 * type does not list is 501; validation failures and rejected hooks are 400.
 */
import { AmqpMap, numberOf, textOf, type AmqpValue } from '../amqp/codec/values.js';
import { ManagementError } from '../errors.js';
import { allowsOperation, findAttribute, fullTypeName, isConfigurable, operationsOf } from '../config/schema.js';
import type { EntityTypeSpec } from '../config/schema-types.js';
import { coerceAttribute, type AttributeMap } from '../config/coerce.js';
import { validateEntity, type ValidatedEntity } from '../config/validate.js';
import { attributeMap, requireType, valueOf } from './query.js';
import type { EntityProvider, EntityRegistry } from './registry.js';
import { plainOf, sameValue, type ManagedAttributes } from './wire-values.js';
import type { Answer } from './agent.js';

/** Reads the application properties of a request. */
export class RequestProperties {
  constructor(private readonly map: AmqpMap | undefined) {}
  text(name: string): string | undefined {
    const v = textOf(this.map?.get(name));
    return v === '' ? undefined : v;
  }
  number(name: string): number | undefined {
    return numberOf(this.map?.get(name) ?? undefined);
  }
}

interface Found {
  spec: EntityTypeSpec;
  entity: ManagedAttributes;
  provider: EntityProvider;
}

/** The 501 skupper-router answers for an operation a type does not allow. */
function notImplemented(operation: string, spec: EntityTypeSpec): ManagementError {
  const allowed = JSON.stringify(operationsOf(spec));
  return new ManagementError(501, `Operation '${operation}' not implemented for '${fullTypeName(spec.name)}' ${allowed}`);
}

function bodyAttributes(body: AmqpValue | undefined, operation: string): Record<string, unknown> {
  const plain = plainOf(body);
  if (plain === null) return {};
  if (typeof plain !== 'object' || Array.isArray(plain) || Buffer.isBuffer(plain) || plain instanceof Date) {
    throw new ManagementError(400, `${operation} body must be a map of attributes`);
  }
  return plain as Record<string, unknown>;
}

export class EntityCrud {
  constructor(private readonly registry: EntityRegistry) {}

  async entityOperation(operation: string, props: RequestProperties, body: AmqpValue | undefined): Promise<Answer> {
    if (operation === 'CREATE') return this.create(props, bodyAttributes(body, operation));
    const found = this.find(props);
    if (!allowsOperation(found.spec, operation)) throw notImplemented(operation, found.spec);
    const coreAgent = found.spec.agent === 'core';
    switch (operation) {
      case 'READ':
        return { status: 200, body: attributeMap(found.spec, found.entity), coreAgent };
      case 'UPDATE':
        return this.update(found, bodyAttributes(body, operation));
      case 'DELETE': {
        if (found.provider.delete === undefined) throw notImplemented(operation, found.spec);
        await found.provider.delete(String(found.entity.name));
        return { status: 204, body: new AmqpMap(), coreAgent };
      }
      default:
        throw notImplemented(operation, found.spec);
    }
  }

  /** Finds the entity a request names by `name` or `identity`, within `type` when given. */
  private find(props: RequestProperties): Found {
    const typeName = props.text('type');
    const spec = typeName === undefined ? undefined : requireType(typeName);
    const ids = (['name', 'identity'] as const)
      .map((key) => [key, props.text(key)] as const)
      .filter((pair): pair is readonly ['name' | 'identity', string] => pair[1] !== undefined);
    const [first] = ids;
    if (first === undefined) throw new ManagementError(400, `${typeName ?? 'request'}: No name or identity provided`);
    const describe = ids.map(([k, v]) => `${k}=${v}`).join(' ');
    const found: Found[] = [];
    for (const candidate of spec === undefined ? this.registry.types() : [spec]) {
      const provider = this.registry.providerOf(candidate);
      const entity = provider?.list().find((e) => e[first[0]] === first[1]);
      if (provider !== undefined && entity !== undefined) found.push({ spec: candidate, entity, provider });
    }
    const [match, other] = found;
    if (other !== undefined) {
      // Counter identities repeat across the core agent's types (router.config.address 1, connection 1).
      const types = found.map((f) => fullTypeName(f.spec.name)).join(', ');
      throw new ManagementError(400, `${describe} matches entities of several types (${types}); give the type`);
    }
    if (match !== undefined) {
      if (ids.some(([k, v]) => match.entity[k] !== v)) throw new ManagementError(400, `Conflicting ${describe}`);
      return match;
    }
    throw new ManagementError(404, `No entity with ${describe}`);
  }

  private async create(props: RequestProperties, body: Record<string, unknown>): Promise<Answer> {
    const attributes = { ...body };
    for (const key of ['type', 'name'] as const) {
      const fromProps = props.text(key);
      if (fromProps === undefined) continue;
      if (attributes[key] !== undefined && attributes[key] !== null && attributes[key] !== fromProps) {
        throw new ManagementError(400, `Conflicting values for '${key}'`);
      }
      attributes[key] = fromProps;
    }
    if (typeof attributes.type !== 'string') throw new ManagementError(400, "No 'type' attribute in the CREATE request");
    const spec = requireType(attributes.type);
    const provider = this.registry.providerOf(spec);
    if (!allowsOperation(spec, 'CREATE') || provider?.create === undefined) throw notImplemented('CREATE', spec);
    if (attributes.identity !== undefined) throw new ManagementError(400, "'identity' attribute cannot be specified");
    for (const name of Object.keys(attributes)) {
      if (name !== 'type' && findAttribute(spec, name) !== undefined && findAttribute(spec, name)?.create !== true) {
        throw new ManagementError(400, `Cannot set attribute '${name}' in CREATE`);
      }
    }
    const entity = this.validate(spec, attributes, provider);
    const name = String(entity.attributes.name);
    const clash = this.holderOfName(spec, name);
    if (clash !== undefined) {
      if (spec.agent === 'core') throw new ManagementError(400, 'Name conflicts with an existing entity');
      throw new ManagementError(
        400,
        `adding ${fullTypeName(spec.name)} '${name}' duplicates unique attribute 'name' from existing ${fullTypeName(clash.name)} '${name}'; choose another name`,
      );
    }
    await provider.create(entity);
    return { status: 201, body: attributeMap(spec, entity.attributes), coreAgent: spec.agent === 'core' };
  }

  /**
   * The type of an entity already named `name` that a new entity of `spec` may not share it with:
   * as in skupper-router, the core agent's types (router.config.address) check their own type, the
   * others every type the Python agent holds.
   */
  private holderOfName(spec: EntityTypeSpec, name: string): EntityTypeSpec | undefined {
    const candidates = spec.agent === 'core' ? [spec] : this.registry.types().filter((t) => t.agent !== 'core');
    return candidates.find((t) => this.registry.list(t).some((e) => e.name === name));
  }

  private async update(found: Found, changes: Record<string, unknown>): Promise<Answer> {
    const { spec, entity, provider } = found;
    const coreAgent = spec.agent === 'core';
    const checked: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(changes)) {
      if (name === 'type' || name === 'identity') continue;
      const attr = findAttribute(spec, name);
      if (attr === undefined) throw new ManagementError(400, `Unknown attribute '${name}' for '${fullTypeName(spec.name)}'`);
      if (attr.update !== true && !sameValue(valueOf(spec, entity, name), value)) {
        throw new ManagementError(400, `Cannot update attribute '${name}' in UPDATE`);
      }
      checked[name] = value;
    }
    if (!isConfigurable(spec)) {
      // Live entities (a connection's adminStatus) change in the router, not in a store.
      if (provider.updateLive === undefined) throw notImplemented('UPDATE', spec);
      const label = `${spec.name} '${String(entity.identity ?? entity.name)}'`;
      const live: AttributeMap = {};
      for (const [name, value] of Object.entries(checked)) live[name] = coerceAttribute(findAttribute(spec, name)!, value, label);
      await provider.updateLive(entity, live);
      return { status: 200, body: attributeMap(spec, { ...entity, ...live }), coreAgent };
    }
    if (provider.update === undefined) throw notImplemented('UPDATE', spec);
    const merged: Record<string, unknown> = {};
    for (const attr of spec.attributes) {
      const value = entity[attr.name];
      if ((attr.create === true || attr.update === true) && attr.name !== 'type' && value !== undefined) merged[attr.name] = plainOf(value as AmqpValue);
    }
    const updated = this.validate(spec, { ...merged, ...checked }, provider);
    await provider.update(String(entity.name), updated);
    return { status: 200, body: attributeMap(spec, updated.attributes), coreAgent };
  }

  private validate(spec: EntityTypeSpec, attributes: Record<string, unknown>, provider: EntityProvider): ValidatedEntity {
    const profiles = this.registry.providerOf(requireType('sslProfile'));
    const hasSslProfile = profiles === undefined ? undefined : (n: string): boolean => profiles.list().some((p) => p.name === n);
    const context = { strict: true, counter: provider.nextCounter?.() ?? 1, ...(hasSslProfile === undefined ? {} : { hasSslProfile }) };
    const { entity, warnings } = validateEntity(spec.name, attributes, context);
    if (entity === undefined) throw new ManagementError(400, warnings.join('; '));
    return entity;
  }
}
