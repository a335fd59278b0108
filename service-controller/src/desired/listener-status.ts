/**
 * A Listener's status (ADR 0005): Configured (a valid spec, its Service in place leading to its
 * router port, and the router listening there as the network status says; a Service of that name
 * that Skiff does not own is a conflict, reason ServiceConflict),
 * Matched (`hasMatchingConnector`: some site in the network has a Connector for the routing key).
 */
import type { V1Service } from '@kubernetes/client-node';
import type { NetworkStatus } from '../../../common/src/kube-api/network-status.js';
import { Annotation } from '../../../common/src/kube-api/names.js';
import { ConditionType, type ListenerStatus } from '../../../common/src/kube-api/types.js';
import { failed, ok, pending, summarize, supported, type ConditionState } from '../../../site-controller/src/desired/conditions.js';
import type { ListenerPlan } from './listener-plan.js';
import { serviceState, type ServiceState } from './listener-service.js';
import { counterparts, routerListensFor } from './network-bindings.js';
import { unsupportedListenerFields } from './unsupported-fields.js';

export const ServiceConflict = 'ServiceConflict';

export interface ListenerObservations {
  plan: ListenerPlan;
  /** The Service named by spec.host, as the cache has it. */
  service: V1Service | undefined;
  /** Whether some Listener of the same host asks to take over a Service Skiff does not own. */
  takeOver: boolean;
  network: NetworkStatus | undefined;
  now: Date;
}

function serviceLeads(service: V1Service | undefined, port: number, routerPort: number): boolean {
  return service?.spec?.ports?.some((p) => p.port === port && p.targetPort === routerPort) === true;
}

function configured(o: ListenerObservations, state: ServiceState): ConditionState {
  const { plan } = o;
  if (plan.problem !== undefined) return failed(ConditionType.Configured, plan.problem);
  const host = plan.listener.spec?.host ?? '';
  if (state === 'foreign' && !o.takeOver) {
    return failed(
      ConditionType.Configured,
      `Service ${host} exists and Skiff does not own it: delete it, set spec.host to another name, or annotate the Listener ${Annotation.takeOverService}: "true" to take it over (its selector and ports are restored when released)`,
      ServiceConflict,
    );
  }
  if (!serviceLeads(o.service, plan.listener.spec?.port ?? 0, plan.routerPort ?? 0)) return pending(ConditionType.Configured, `waiting for Service ${host} to lead port ${plan.listener.spec?.port ?? 0} to the router`);
  if (!routerListensFor(o.network, plan.listener.spec?.routingKey ?? '', plan.listener.metadata.name)) {
    return pending(ConditionType.Configured, `waiting for the router to listen on port ${plan.routerPort ?? 0} (if this lasts, the service-controller's log says why the router refused it)`);
  }
  return ok(ConditionType.Configured);
}

export function listenerStatus(o: ListenerObservations): ListenerStatus {
  const listener = o.plan.listener;
  const routingKey = listener.spec?.routingKey ?? '';
  const hasMatchingConnector = routingKey !== '' && counterparts(o.network, routingKey).hasConnector;
  const matched = hasMatchingConnector ? ok(ConditionType.Matched) : pending(ConditionType.Matched, `No matching connectors: no site in the network has a Connector with routing key '${routingKey}' yet`);
  const required = [configured(o, serviceState(o.service, listener.spec?.host ?? '')), matched];
  const status: ListenerStatus = summarize(required, [supported(unsupportedListenerFields(listener))], listener.status?.conditions, listener.metadata.generation ?? 0, o.now);
  return { ...status, hasMatchingConnector };
}
