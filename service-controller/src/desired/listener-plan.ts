/**
 * Every Listener of the namespace at once (pure): what is wrong with it, if anything, and its router
 * port. Two Listeners on the same host and port cannot share the Service's port: the later in name
 * order is refused. The bridges, the Services and the statuses are all made from this one plan.
 */
import type { V1Service } from '@kubernetes/client-node';
import type { Listener } from '../../../common/src/kube-api/types.js';
import { allocateRouterPorts, recordedPorts, validListener, type ValidListener } from './router-ports.js';
import { listenerProblem } from './spec-problems.js';

export interface ListenerPlan {
  listener: Listener;
  /** What stops it (Configured=False), or undefined. */
  problem: string | undefined;
  /** The router port of its tcpListener, for a Listener without a problem. */
  routerPort: number | undefined;
}

export function planListeners(listeners: readonly Listener[], services: readonly V1Service[]): Map<string, ListenerPlan> {
  const live = listeners.filter((l) => l.metadata.deletionTimestamp === undefined).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const problems = new Map<string, string | undefined>();
  const servedBy = new Map<string, string>();
  const valid: ValidListener[] = [];
  for (const listener of live) {
    let problem = listenerProblem(listener);
    if (problem === undefined) {
      const candidate = validListener(listener);
      const slot = `${candidate.host}:${candidate.port}`;
      const other = servedBy.get(slot);
      if (other !== undefined) problem = `spec.port ${candidate.port} of host ${candidate.host} is already served by Listener ${other}: use another port or host`;
      else {
        servedBy.set(slot, candidate.name);
        valid.push(candidate);
      }
    }
    problems.set(listener.metadata.name, problem);
  }
  const ports = allocateRouterPorts(valid, recordedPorts(services));
  const plans = new Map<string, ListenerPlan>();
  for (const listener of live) {
    const name = listener.metadata.name;
    const routerPort = ports.get(name);
    const problem = problems.get(name) ?? (routerPort === undefined ? 'no router port is free: remove Listeners this site no longer needs' : undefined);
    plans.set(name, { listener, problem, routerPort: problem === undefined ? routerPort : undefined });
  }
  return plans;
}

/** The plans of the Listeners without problems for `host`, by name. */
export function plansForHost(plans: ReadonlyMap<string, ListenerPlan>, host: string): ListenerPlan[] {
  return [...plans.values()].filter((p) => p.problem === undefined && p.listener.spec?.host === host);
}
