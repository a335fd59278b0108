/**
 * What an origin site announces for its headless StatefulSets (ADR 0005): the definition each
 * group of per-pod Connectors carries (labelled `skiff.io/service-sync: announce`, annotated with
 * `skiff.io/headless`), one per service address. Service sync adds these to the definitions it
 * reads from Listeners, and counts their addresses as defined here.
 */
import { headlessDefinitionOf } from '../../../common/src/kube-api/headless-exposure.js';
import { Label, ServiceSyncRole } from '../../../common/src/kube-api/names.js';
import type { Connector } from '../../../common/src/kube-api/types.js';
import type { ServiceDefinition } from '../../../common/src/site-sync/service-definition.js';

/** One definition per address, from the first of its Connectors by name; sorted by address. */
export function headlessDefinitions(connectors: readonly Connector[]): ServiceDefinition[] {
  const byAddress = new Map<string, ServiceDefinition>();
  const announced = connectors
    .filter((c) => c.metadata.deletionTimestamp === undefined && c.metadata.labels?.[Label.serviceSync] === ServiceSyncRole.announce)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const connector of announced) {
    const definition = headlessDefinitionOf(connector.metadata);
    if (definition !== undefined && !byAddress.has(definition.address)) byAddress.set(definition.address, definition);
  }
  return [...byAddress.values()].sort((a, b) => a.address.localeCompare(b.address));
}

/** A site's definitions from its Listeners, with its headless ones added (an address the Listeners define stays theirs). */
export function withHeadless(definitions: readonly ServiceDefinition[], connectors: readonly Connector[]): ServiceDefinition[] {
  const defined = new Set(definitions.map((d) => d.address));
  return [...definitions, ...headlessDefinitions(connectors).filter((d) => !defined.has(d.address))].sort((a, b) => a.address.localeCompare(b.address));
}

/** The addresses of this site's headless services: a remote definition of one is hidden here. */
export function headlessAddresses(connectors: readonly Connector[]): string[] {
  return headlessDefinitions(connectors).map((d) => d.address);
}
