/**
 * What a Kubernetes site tells the others through service sync, read from its Listeners (ADR 0005):
 * the Listeners labelled `skiff.io/service-sync: announce`, grouped by their `skiff.io/address`,
 * become one definition each, `{address, protocol: 'tcp', ports}`. Listeners made by service sync
 * itself (`synced`) are never announced again, and Listeners without the label (Skupper v2 YAML)
 * are not announced at all, though they do hide a remote service of their host.
 */
import { Label, ServiceSyncRole } from '../../../common/src/kube-api/names.js';
import type { Listener } from '../../../common/src/kube-api/types.js';
import type { ServiceDefinition } from '../../../common/src/site-sync/service-definition.js';

/** The Listeners that count: not being deleted, with a host and a port a Service can have. */
function live(listeners: readonly Listener[]): Listener[] {
  return listeners.filter((l) => l.metadata.deletionTimestamp === undefined && l.spec !== undefined && l.spec.host !== '' && isPort(l.spec.port));
}

function isPort(port: unknown): port is number {
  return Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535;
}

function roleOf(listener: Listener): string | undefined {
  return listener.metadata.labels?.[Label.serviceSync];
}

/** The service address a Listener belongs to: its `skiff.io/address` label, else its host. */
function addressOf(listener: Listener): string {
  return listener.metadata.labels?.[Label.address] ?? listener.spec?.host ?? '';
}

/** This site's own definitions, sorted by address, each with its ports sorted and without repeats. */
export function announcedDefinitions(listeners: readonly Listener[]): ServiceDefinition[] {
  const ports = new Map<string, Set<number>>();
  for (const listener of live(listeners)) {
    if (roleOf(listener) !== ServiceSyncRole.announce) continue;
    const address = addressOf(listener);
    const set = ports.get(address) ?? new Set<number>();
    set.add(listener.spec?.port ?? 0);
    ports.set(address, set);
  }
  return [...ports]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([address, set]) => ({ address, protocol: 'tcp', ports: [...set].sort((a, b) => a - b) }));
}

/**
 * The addresses this site defines itself, which no remote definition may take here: those it
 * announces, and the host of every Listener service sync did not make (a v2 Listener included).
 */
export function localAddresses(listeners: readonly Listener[]): Set<string> {
  const addresses = new Set<string>();
  for (const listener of live(listeners)) {
    const role = roleOf(listener);
    if (role === ServiceSyncRole.synced) continue;
    addresses.add(listener.spec?.host ?? '');
    if (role === ServiceSyncRole.announce) addresses.add(addressOf(listener));
  }
  return addresses;
}
