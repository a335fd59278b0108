/** A RouterAccess's status: Configured (a Site, a known access type), Resolved (its endpoints). */
import { ConditionType, type RouterAccess, type RouterAccessStatus, type Site } from '../../../common/src/kube-api/types.js';
import type { Resolution } from './access-endpoints.js';
import { failed, ok, pending, summarize, supported, type ConditionState } from './conditions.js';
import { unknownAccessTypeMessage } from './link-access.js';
import { unsupportedRouterAccessFields } from './unsupported.js';

export interface RouterAccessObservations {
  access: RouterAccess;
  site: Site | undefined;
  /** Undefined when the access type is unknown or there is no Site. */
  resolution: Resolution | undefined;
  now: Date;
}

function configured(o: RouterAccessObservations): ConditionState {
  if (o.site === undefined) return pending(ConditionType.Configured, `no Site in namespace ${o.access.metadata.namespace ?? ''}: create one (skiff init)`);
  if (o.resolution === undefined) return failed(ConditionType.Configured, unknownAccessTypeMessage(o.access.spec?.accessType ?? ''));
  if ((o.access.spec?.roles ?? []).length === 0) return failed(ConditionType.Configured, 'spec.roles is empty: add inter-router and edge roles with their ports');
  return ok(ConditionType.Configured);
}

export function routerAccessStatus(o: RouterAccessObservations): RouterAccessStatus {
  const configuredState = configured(o);
  let resolved: ConditionState;
  if (configuredState.status !== 'True' || o.resolution === undefined) resolved = pending(ConditionType.Resolved, 'not configured');
  else if (o.resolution.resolved) resolved = ok(ConditionType.Resolved);
  else resolved = pending(ConditionType.Resolved, o.resolution.message);
  const summary = summarize([configuredState, resolved], [supported(unsupportedRouterAccessFields(o.access))], o.access.status?.conditions, o.access.metadata.generation ?? 0, o.now);
  return o.resolution?.resolved === true && configuredState.status === 'True' ? { ...summary, endpoints: o.resolution.endpoints } : summary;
}
