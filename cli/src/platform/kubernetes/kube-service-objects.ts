/**
 * The services of a Kubernetes site as the CLI sees them: its Listeners and Connectors (ADR 0005).
 * A Listener's address is its `skiff.io/address` label (v1 forms), else its host (v2 YAML). Checks
 * that an address is free, and creates or deletes a service's objects as one change.
 */
import { Annotation, Label, ServiceSyncRole } from '../../../../common/src/kube-api/names.js';
import type { Connector, Listener, Site } from '../../../../common/src/kube-api/types.js';
import { CliError, ErrorCode } from '../../errors.js';
import { ExposedBy } from '../../../../common/src/kube-api/exposure.js';
import type { KubeClient } from './kube-client.js';

export interface ServiceObjects {
  listeners: Listener[];
  connectors: Connector[];
}

export async function serviceObjects(client: KubeClient): Promise<ServiceObjects> {
  return { listeners: await client.list<Listener>('Listener'), connectors: await client.list<Connector>('Connector') };
}

export function listenerAddress(listener: Listener): string {
  return listener.metadata.labels?.[Label.address] ?? listener.spec?.host ?? listener.metadata.name;
}

export function connectorAddress(connector: Connector): string {
  return connector.metadata.labels?.[Label.address] ?? connector.spec?.routingKey ?? connector.metadata.name;
}

export function isSynced(listener: Listener): boolean {
  return listener.metadata.labels?.[Label.serviceSync] === ServiceSyncRole.synced;
}

/** What a user is told made an object: the CLI, an annotation on some object, kubectl, service sync. */
export function madeBy(object: Listener | Connector): string {
  const owner = object.metadata.ownerReferences?.[0];
  if (object.metadata.labels?.[Label.exposedBy] === ExposedBy.annotation && owner !== undefined) return `the ${Annotation.proxy} annotation on ${owner.kind} ${owner.name}`;
  if (object.metadata.labels?.[Label.exposedBy] !== undefined) return 'skiff expose or skiff service create';
  return 'a Listener applied with kubectl';
}

/**
 * Refuses an address this site already has: defined here (by the CLI, an annotation or v2 YAML),
 * or synced from the site that defined it first.
 */
export function assertAddressFree(site: Site, objects: ServiceObjects, address: string): void {
  const taken = objects.listeners.filter((l) => listenerAddress(l) === address || l.spec?.host === address);
  const synced = taken.find(isSynced);
  if (synced !== undefined) {
    const origin = synced.metadata.annotations?.[Annotation.originSiteName] ?? synced.metadata.annotations?.[Annotation.originSite] ?? 'another site';
    throw new CliError(ErrorCode.SKIFF_ERR_SERVICE_EXISTS, `address '${address}' is already defined by site '${origin}' (service sync brought it here)`, `the first site to define an address keeps it: choose another --address, or unexpose it on '${origin}' first`);
  }
  const here = taken[0];
  if (here !== undefined) {
    throw new CliError(ErrorCode.SKIFF_ERR_SERVICE_EXISTS, `address '${address}' is already exposed on site '${site.metadata.name}' (Listener ${here.metadata.name}, made by ${madeBy(here)})`, `choose another --address, or 'skiff service status -n ${site.metadata.namespace ?? ''}' to see it`);
  }
}

/**
 * The Listeners and Connectors the CLI made for an address (what unexpose and service delete
 * remove). When the CLI defined no Listener for it, says why: service sync brought it, something
 * else made it, or `absent()`.
 */
export function cliObjectsOf(objects: ServiceObjects, address: string, absent: () => CliError): (Listener | Connector)[] {
  const listeners = objects.listeners.filter((l) => listenerAddress(l) === address);
  const all = [...listeners, ...objects.connectors.filter((c) => connectorAddress(c) === address)];
  const mine = all.filter((o) => o.metadata.labels?.[Label.exposedBy] === ExposedBy.cli);
  // A headless StatefulSet has no Listener at its origin: its per-pod Connectors are the exposure.
  if (mine.some((o) => o.kind === 'Listener' || o.metadata.labels?.[Label.headless] !== undefined)) return mine;
  const synced = listeners.find(isSynced);
  if (synced !== undefined) {
    const origin = synced.metadata.annotations?.[Annotation.originSiteName] ?? 'another site';
    throw new CliError(ErrorCode.SKIFF_ERR_SERVICE_NOT_FOUND, `address '${address}' is defined by site '${origin}', not here`, `a synced service is unexposed or deleted on its origin site ('${origin}')`);
  }
  const other = all.find((o) => o.metadata.labels?.[Label.exposedBy] !== ExposedBy.cli);
  if (other !== undefined) throw new CliError(ErrorCode.SKIFF_ERR_SERVICE_EXISTS, `address '${address}' was not made by the CLI: it comes from ${madeBy(other)}`, 'remove it where it was made');
  throw absent();
}

/** Creates the objects in order; when one fails, those already created are deleted again. */
export async function createAll(client: KubeClient, objects: readonly (Listener | Connector)[], onConflict: (name: string) => CliError): Promise<void> {
  const made: (Listener | Connector)[] = [];
  try {
    for (const object of objects) {
      await client.create(object.kind, object, () => onConflict(object.metadata.name));
      made.push(object);
    }
  } catch (error) {
    for (const object of made.reverse()) await client.delete(object.kind, object.metadata.name);
    throw error;
  }
}

export async function deleteAll(client: KubeClient, objects: readonly (Listener | Connector)[]): Promise<void> {
  for (const object of objects) await client.delete(object.kind, object.metadata.name);
}

/** Whether the Site's router runs (the controller says Ready): what `applied` reports on Kubernetes. */
export function siteApplies(site: Site): boolean {
  return site.status?.status === 'Ready';
}
