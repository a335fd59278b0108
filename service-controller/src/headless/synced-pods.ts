/**
 * The hosts service sync makes Listeners for (ADR 0005): an ordinary remote service has one, its
 * address; a headless one has one per pod of the StatefulSet (`name-0` … `name-(size-1)`), each
 * labelled with the service address so the headless reconciler gathers them under one headless
 * Service, and annotated with the definition so a restarted controller's seed rebuilds it.
 */
import { headlessLabels, podAddress } from '../../../common/src/kube-api/headless-exposure.js';
import { Annotation } from '../../../common/src/kube-api/names.js';
import type { ServiceDefinition } from '../../../common/src/site-sync/service-definition.js';

/** More pods than any StatefulSet here would have: a definition claiming more is cut to this many. */
const MAX_PODS = 512;

export interface SyncedHost {
  /** Listener host, and the address its names and routing keys are made from. */
  host: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export function syncedHosts(service: ServiceDefinition): SyncedHost[] {
  const { headless } = service;
  if (headless === undefined) return [{ host: service.address, labels: {}, annotations: {} }];
  const definition: ServiceDefinition = { address: service.address, protocol: service.protocol, ports: service.ports, headless };
  const annotations = { [Annotation.headless]: JSON.stringify(definition) };
  return Array.from({ length: Math.min(headless.size, MAX_PODS) }, (_, ordinal) => ({ host: podAddress(headless.name, ordinal), labels: headlessLabels(service.address), annotations }));
}
