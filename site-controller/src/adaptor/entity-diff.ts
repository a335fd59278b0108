/**
 * What must be sent to bring the router's entities to a desired set (pure): CREATE what is
 * missing, DELETE what is extra, DELETE then CREATE what differs. Only the attributes the config
 * sets are compared, loosely (the router stores a port given as 55671 as "55671", booleans may be
 * written yes/no), since the router fills in defaults and an identity of its own. An entity that
 * uses a replaced sslProfile is replaced too: the router reads a profile's files when an entity
 * using it is created.
 *
 *   deletes: users of profiles first, then sslProfiles      creates: sslProfiles first, then users
 */
import type { Attributes } from './router-config.js';

/** An entity of any type (the adaptor's config types, the service-controller's bridges). */
export interface Entity {
  type: string;
  name: string;
  attributes: Attributes;
}

export interface EntityRef {
  type: string;
  name: string;
}

export interface SyncPlan<E extends Entity> {
  deletes: EntityRef[];
  creates: E[];
}

export interface PlanInput<E extends Entity> {
  desired: readonly E[];
  /** The router's entities of the synced types, as QUERY answers them. */
  actual: readonly Entity[];
  /** sslProfiles whose files changed since the router loaded them. */
  changedProfiles?: ReadonlySet<string>;
  /** Entities left as they are on the router, whatever the config says (their Secret is missing). */
  held?: ReadonlySet<string>;
}

/** Attributes the router never answers with (write-only), so they cannot be compared. */
const WRITE_ONLY = new Set(['saslPassword']);
const IGNORED = new Set(['name', 'type', 'identity']);
const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { yes: true, true: true, on: true, no: false, false: false, off: false };

export function refKey(ref: EntityRef): string {
  return `${ref.type}/${ref.name}`;
}

export function planSync<E extends Entity>(input: PlanInput<E>): SyncPlan<E> {
  const held = input.held ?? new Set<string>();
  const actual = new Map(input.actual.map((e) => [refKey(e), e]));
  const desired = new Map(input.desired.filter((e) => !held.has(refKey(e))).map((e) => [refKey(e), e]));
  const replacedProfiles = new Set<string>();
  for (const entity of desired.values()) {
    if (entity.type !== 'sslProfile') continue;
    const running = actual.get(refKey(entity));
    if (running !== undefined && (input.changedProfiles?.has(entity.name) === true || differs(entity.attributes, running.attributes))) replacedProfiles.add(entity.name);
  }
  const replaced = (entity: Entity, running: Entity): boolean =>
    entity.type === 'sslProfile' ? replacedProfiles.has(entity.name) : differs(entity.attributes, running.attributes) || replacedProfiles.has(String(entity.attributes.sslProfile));
  const deletes: EntityRef[] = [];
  const creates: E[] = [];
  for (const [key, running] of actual) {
    if (held.has(key)) continue;
    const wanted = desired.get(key);
    if (wanted === undefined || replaced(wanted, running)) deletes.push({ type: running.type, name: running.name });
  }
  for (const [key, wanted] of desired) {
    const running = actual.get(key);
    if (running === undefined || replaced(wanted, running)) creates.push(wanted);
  }
  const profilesLast = (a: EntityRef, b: EntityRef): number => Number(a.type === 'sslProfile') - Number(b.type === 'sslProfile');
  return { deletes: deletes.sort(profilesLast), creates: creates.sort((a, b) => profilesLast(b, a)) };
}

/** Whether the router's attributes differ from what the config sets. */
export function differs(wanted: Attributes, running: Attributes): boolean {
  return Object.entries(wanted).some(([name, value]) => !IGNORED.has(name) && !WRITE_ONLY.has(name) && !sameValue(value, running[name]));
}

function sameValue(wanted: unknown, running: unknown): boolean {
  if (wanted === null || wanted === undefined) return running === null || running === undefined;
  if (running === null || running === undefined) return false;
  if (typeof wanted === 'boolean' || typeof running === 'boolean') return asBoolean(wanted) === asBoolean(running);
  if (typeof wanted === 'object' || typeof running === 'object') return canonical(wanted) === canonical(running);
  return String(wanted) === String(running);
}

function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return typeof value === 'string' ? BOOLEAN_WORDS[value.trim().toLowerCase()] : undefined;
}

/** JSON with object keys sorted, so maps compare by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Keys of the sslProfiles in `profiles` and of every entity that uses one of them. */
export function usersOf(desired: readonly Entity[], profiles: ReadonlySet<string>): Set<string> {
  return new Set(desired.filter((e) => profiles.has(e.type === 'sslProfile' ? e.name : String(e.attributes.sslProfile))).map(refKey));
}
