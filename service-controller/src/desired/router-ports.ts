/**
 * The router port of each Listener (ADR 0005): the one its Service's targetPort records (so a
 * restart of the controller or the router keeps it), else its own port unless that is reserved
 * or already taken, else the lowest free port from 1024 up. Listeners are served in name order,
 * so every reconciler computes the same answer from the same caches.
 *
 *   pass 1: recorded ports      pass 2: own ports      pass 3: lowest free from 1024
 */
import type { V1Service } from '@kubernetes/client-node';
import { Label, ReservedRouterPorts } from '../../../common/src/kube-api/names.js';
import type { Listener } from '../../../common/src/kube-api/types.js';

const FIRST_FREE = 1024;
const LAST_PORT = 65535;

/** A Listener known to be valid: host and port are set. */
export interface ValidListener {
  name: string;
  host: string;
  port: number;
}

export function validListener(listener: Listener): ValidListener {
  return { name: listener.metadata.name, host: listener.spec?.host ?? '', port: listener.spec?.port ?? 0 };
}

/** The router port each Service of Skiff's records for each `host:port`. */
export function recordedPorts(services: readonly V1Service[]): Map<string, number> {
  const recorded = new Map<string, number>();
  for (const service of services) {
    const host = service.metadata?.labels?.[Label.listenerService];
    if (host === undefined || host !== service.metadata?.name) continue;
    for (const port of service.spec?.ports ?? []) {
      if (typeof port.targetPort === 'number') recorded.set(`${host}:${port.port}`, port.targetPort);
    }
  }
  return recorded;
}

/** Router port by Listener name. */
export function allocateRouterPorts(listeners: readonly ValidListener[], recorded: ReadonlyMap<string, number>): Map<string, number> {
  const ordered = [...listeners].sort((a, b) => a.name.localeCompare(b.name));
  const taken = new Set<number>(ReservedRouterPorts);
  const ports = new Map<string, number>();
  const assign = (listener: ValidListener, port: number | undefined): void => {
    if (port === undefined || ports.has(listener.name) || taken.has(port)) return;
    taken.add(port);
    ports.set(listener.name, port);
  };
  for (const listener of ordered) assign(listener, recorded.get(`${listener.host}:${listener.port}`));
  for (const listener of ordered) assign(listener, listener.port);
  let next = FIRST_FREE;
  for (const listener of ordered) {
    if (ports.has(listener.name)) continue;
    while (taken.has(next) && next <= LAST_PORT) next++;
    if (next <= LAST_PORT) assign(listener, next);
  }
  return ports;
}
