/**
 * Where the management agent finds entities: one provider per entity type. Configurable types
 * (listener, tcpConnector, ...) get a store with create/update/delete hooks the router wires to
 * its listeners and connectors; operational types (connection, router.node, ...) get a provider
 * whose `list` reads the router's live state at the moment of the request.
 */
import type { AttributeMap } from '../config/coerce.js';
import type { ValidatedEntity } from '../config/validate.js';
import { findEntityType } from '../config/schema.js';
import type { EntityTypeSpec } from '../config/schema-types.js';
import type { ManagedAttributes } from './wire-values.js';

export interface EntityProvider {
  /** The current entities, each with name and identity (and any operational attributes). */
  list(): readonly ManagedAttributes[];
  /** Makes a validated entity live; a rejection becomes a 400 (or, for a bug, 500) answer carrying its message. */
  create?(entity: ValidatedEntity): Promise<void>;
  /** Replaces the named entity's attributes with the validated result of an UPDATE. */
  update?(name: string, entity: ValidatedEntity): Promise<void>;
  delete?(name: string): Promise<void>;
  /**
   * Applies an UPDATE to a live (operational) entity, e.g. a connection's `adminStatus: deleted`
   * closes it. `changes` holds only attributes the schema marks `update`, already typed.
   */
  updateLive?(entity: ManagedAttributes, changes: AttributeMap): Promise<void>;
  /** Number for the next entity of a counter-identified type (router.config.address). */
  nextCounter?(): number;
}

export class EntityRegistry {
  private readonly providers = new Map<EntityTypeSpec, EntityProvider>();

  /** Registers the provider for a type (short, config or full name); replaces an earlier one. */
  register(type: string, provider: EntityProvider): this {
    const spec = findEntityType(type);
    if (spec === undefined) throw new TypeError(`EntityRegistry.register: unknown entity type '${type}'`);
    this.providers.set(spec, provider);
    return this;
  }

  providerOf(spec: EntityTypeSpec): EntityProvider | undefined {
    return this.providers.get(spec);
  }

  /** Types with a provider, in registration order. */
  types(): EntityTypeSpec[] {
    return [...this.providers.keys()];
  }

  /** The entities of a type (none when it has no provider). */
  list(spec: EntityTypeSpec): readonly ManagedAttributes[] {
    return this.providers.get(spec)?.list() ?? [];
  }
}
