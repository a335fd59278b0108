/**
 * The Listeners service sync keeps in the site's namespace (ADR 0005), as pure functions:
 *
 *   table of remote services ──▶ desired synced Listeners ──┐
 *   the namespace's Listeners ─────────────────────────────┴─▶ plan: apply / remove / blocked
 *   the namespace's synced Listeners ──▶ the table they were made from (a restart's seed)
 *
 * A remote service `A` with ports p1..pn becomes one Listener per port, named `A` (one port) or
 * `A-p`, host `A`, port `p`, routingKey `serviceRoutingKey(A, p, n)`, labelled `synced`, annotated
 * with the origin site's id and name, owned by the Site (so it goes with the Site). A headless
 * service has the same per pod, with the pod's name as host (headless/synced-pods.ts).
 */
import { exposureObjectName } from '../../../common/src/kube-api/exposure.js';
import { Annotation, Label, PART_OF, ServiceSyncRole, serviceRoutingKey } from '../../../common/src/kube-api/names.js';
import { API_VERSION, type Listener } from '../../../common/src/kube-api/types.js';
import type { RemoteService } from '../../../common/src/site-sync/remote-services.js';
import { headlessDefinitionOf } from '../../../common/src/kube-api/headless-exposure.js';
import { syncedHosts } from '../headless/synced-pods.js';

export interface SyncSite {
  namespace: string;
  name: string;
  uid: string;
}

/** A Kubernetes Service name (DNS-1035 label): only such an address can become a Service here. */
const SERVICE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function isServiceName(address: string): boolean {
  return SERVICE_NAME.test(address);
}

/** The synced Listeners the table asks for; addresses that cannot name a Service are left out. */
export function syncedListeners(services: readonly RemoteService[], site: SyncSite, originNames: ReadonlyMap<string, string>): Listener[] {
  return services.flatMap((service) => {
    if (!isServiceName(service.address)) return [];
    const ports = service.ports.filter((p) => p >= 1 && p <= 65535);
    // One host (the address), or one per pod of a headless StatefulSet (its pods' names).
    const hosts = syncedHosts(service).filter((h) => isServiceName(h.host));
    return hosts.flatMap(({ host, labels, annotations }) => ports.map((port): Listener => ({
      apiVersion: API_VERSION,
      kind: 'Listener',
      metadata: {
        name: exposureObjectName(host, port, ports.length),
        namespace: site.namespace,
        labels: { [Label.partOf]: PART_OF, [Label.serviceSync]: ServiceSyncRole.synced, [Label.address]: service.address, ...labels },
        annotations: { [Annotation.originSite]: service.origin, [Annotation.originSiteName]: originNames.get(service.origin) ?? service.origin, ...annotations },
        ownerReferences: [{ apiVersion: API_VERSION, kind: 'Site', name: site.name, uid: site.uid }],
      },
      spec: { routingKey: serviceRoutingKey(host, port, ports.length), host, port },
    })));
  });
}

function isSynced(listener: Listener): boolean {
  return listener.metadata.labels?.[Label.serviceSync] === ServiceSyncRole.synced;
}

/**
 * The remote services that the synced Listeners of a namespace were made from, so a restarted
 * controller starts from what it had (as a local agent starts from its saved table) and deletes
 * nothing before the origins have had the grace period to be heard again.
 */
export function seedFromListeners(listeners: readonly Listener[]): { services: RemoteService[]; originNames: Map<string, string> } {
  const byAddress = new Map<string, RemoteService>();
  const originNames = new Map<string, string>();
  for (const listener of [...listeners].filter(isSynced).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const origin = listener.metadata.annotations?.[Annotation.originSite];
    const address = listener.metadata.labels?.[Label.address];
    const port = listener.spec?.port;
    if (origin === undefined || address === undefined || port === undefined) continue;
    const name = listener.metadata.annotations?.[Annotation.originSiteName];
    if (name !== undefined && name !== origin) originNames.set(origin, name);
    const headless = headlessDefinitionOf(listener.metadata)?.headless;
    const held = byAddress.get(address) ?? { address, protocol: 'tcp', ports: [], origin, ...(headless === undefined ? {} : { headless }) };
    if (held.origin !== origin || held.ports.includes(port)) continue;
    held.ports = [...held.ports, port].sort((a, b) => a - b);
    byAddress.set(address, held);
  }
  return { services: [...byAddress.values()], originNames };
}

export interface SyncPlan {
  /** Missing or different: to apply (server-side apply). */
  apply: Listener[];
  /** Synced Listeners nothing asks for any more. */
  remove: Listener[];
  /** Desired Listeners whose name a Listener that service sync did not make already has: left alone. */
  blocked: Listener[];
}

export function syncPlan(desired: readonly Listener[], existing: readonly Listener[]): SyncPlan {
  const byName = new Map(existing.map((l) => [l.metadata.name, l]));
  const plan: SyncPlan = { apply: [], remove: [], blocked: [] };
  for (const want of desired) {
    const have = byName.get(want.metadata.name);
    if (have !== undefined && !isSynced(have)) plan.blocked.push(want);
    else if (have === undefined || !upToDate(have, want)) plan.apply.push(want);
  }
  const wanted = new Set(desired.map((l) => l.metadata.name));
  plan.remove = existing.filter((l) => isSynced(l) && !wanted.has(l.metadata.name) && l.metadata.deletionTimestamp === undefined);
  return plan;
}

function upToDate(have: Listener, want: Listener): boolean {
  const includes = (actual: Record<string, string> | undefined, wanted: Record<string, string> | undefined): boolean =>
    Object.entries(wanted ?? {}).every(([k, v]) => actual?.[k] === v);
  const owners = have.metadata.ownerReferences ?? [];
  return (
    have.metadata.deletionTimestamp === undefined &&
    have.spec?.routingKey === want.spec?.routingKey &&
    have.spec?.host === want.spec?.host &&
    have.spec?.port === want.spec?.port &&
    includes(have.metadata.labels, want.metadata.labels) &&
    includes(have.metadata.annotations, want.metadata.annotations) &&
    (want.metadata.ownerReferences ?? []).every((o) => owners.some((h) => h.uid === o.uid))
  );
}
