/**
 * The default provider for a configurable entity type: keeps each entity's validated attributes
 * and typed settings in memory and calls the router's hooks on CREATE, UPDATE and DELETE. A hook
 * that throws or rejects leaves the store unchanged, and the agent answers with its message (400,
 * or 500 for a bug) — so "CREATE connector" only succeeds once the router has accepted the connector.
 */
import type { AttributeMap } from '../config/coerce.js';
import type { ConfigurableType, SettingsByType } from '../config/settings.js';
import type { ValidatedEntity } from '../config/validate.js';
import type { EntityProvider } from './registry.js';
import type { ManagedAttributes, ManagedValue } from './wire-values.js';

export interface EntityHooks<K extends ConfigurableType> {
  onCreate?(settings: SettingsByType[K], attributes: AttributeMap): void | Promise<void>;
  onUpdate?(settings: SettingsByType[K], previous: SettingsByType[K], attributes: AttributeMap): void | Promise<void>;
  onDelete?(settings: SettingsByType[K], attributes: AttributeMap): void | Promise<void>;
  /** Live attributes merged in when the entity is read: operStatus, connectionsOpened, bytesIn, ... */
  operational?(settings: SettingsByType[K]): Readonly<Record<string, ManagedValue>>;
}

interface Stored<K extends ConfigurableType> {
  attributes: AttributeMap;
  settings: SettingsByType[K];
}

type EntityOf<K extends ConfigurableType> = Extract<ValidatedEntity, { type: K }>;

export class ConfigEntityStore<K extends ConfigurableType> implements EntityProvider {
  private readonly entities = new Map<string, Stored<K>>();
  private counter = 0;

  constructor(
    readonly type: K,
    private readonly hooks: EntityHooks<K> = {},
  ) {}

  private own(entity: ValidatedEntity): EntityOf<K> {
    if (entity.type !== this.type) throw new TypeError(`a ${entity.type} entity given to the ${this.type} store`);
    return entity as EntityOf<K>;
  }

  /** Adds an entity that is already running (from the config file): no hook is called. */
  seed(entity: ValidatedEntity): void {
    const own = this.own(entity);
    this.counter++;
    this.entities.set(String(own.attributes.name), { attributes: own.attributes, settings: own.settings as SettingsByType[K] });
  }

  nextCounter(): number {
    return this.counter + 1;
  }

  /** Typed settings of every entity, in creation order. */
  settings(): SettingsByType[K][] {
    return [...this.entities.values()].map((e) => e.settings);
  }

  list(): ManagedAttributes[] {
    return [...this.entities.values()].map((e) => {
      const live = this.hooks.operational?.(e.settings);
      return live === undefined ? e.attributes : { ...e.attributes, ...live };
    });
  }

  async create(entity: ValidatedEntity): Promise<void> {
    const own = this.own(entity);
    const settings = own.settings as SettingsByType[K];
    await this.hooks.onCreate?.(settings, own.attributes);
    this.counter++;
    this.entities.set(String(own.attributes.name), { attributes: own.attributes, settings });
  }

  async update(name: string, entity: ValidatedEntity): Promise<void> {
    const own = this.own(entity);
    const previous = this.entities.get(name);
    if (previous === undefined) throw new RangeError(`no ${this.type} named '${name}'`);
    const settings = own.settings as SettingsByType[K];
    await this.hooks.onUpdate?.(settings, previous.settings, own.attributes);
    this.entities.set(name, { attributes: own.attributes, settings });
  }

  async delete(name: string): Promise<void> {
    const stored = this.entities.get(name);
    if (stored === undefined) throw new RangeError(`no ${this.type} named '${name}'`);
    await this.hooks.onDelete?.(stored.settings, stored.attributes);
    this.entities.delete(name);
  }
}
