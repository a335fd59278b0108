/** Listeners as the service-sync unit tests need them, labelled the way ADR 0005 says. */
import { Annotation, Label } from '../../common/src/kube-api/names.js';
import { API_VERSION, type Listener } from '../../common/src/kube-api/types.js';

export interface ListenerFixture {
  host: string;
  port: number;
  routingKey?: string;
  role?: 'announce' | 'synced';
  address?: string;
  origin?: { id: string; name: string };
  deleting?: boolean;
}

export function listener(name: string, f: ListenerFixture): Listener {
  const labels: Record<string, string> = {};
  if (f.role !== undefined) labels[Label.serviceSync] = f.role;
  if (f.address !== undefined) labels[Label.address] = f.address;
  return {
    apiVersion: API_VERSION,
    kind: 'Listener',
    metadata: {
      name,
      namespace: 'west',
      labels,
      ...(f.origin === undefined ? {} : { annotations: { [Annotation.originSite]: f.origin.id, [Annotation.originSiteName]: f.origin.name } }),
      ...(f.deleting === true ? { deletionTimestamp: '2026-12-02T00:00:00Z' } : {}),
    },
    spec: { host: f.host, port: f.port, routingKey: f.routingKey ?? f.host },
  };
}
