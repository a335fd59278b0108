/**
 * A Site's status (reference §7.2, ADR 0004) from what the controller observed: Configured, Running,
 * Resolved (with linkAccess only), the endpoints of its default RouterAccess and the network the
 * kube-adaptor reported.
 */
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { DefaultRouterAccess, RouterName, SiteCaSecret } from '../../../common/src/kube-api/names.js';
import type { NetworkStatus } from '../../../common/src/kube-api/network-status.js';
import { ConditionType, type RouterAccess, type Site, type SiteStatus } from '../../../common/src/kube-api/types.js';
import { failed, ok, pending, summarize, supported, type ConditionState } from './conditions.js';
import type { LinkAccess } from './link-access.js';
import { unsupportedSiteFields } from './unsupported.js';

export interface SiteObservations {
  site: Site;
  /** The Site that already configures this namespace, when it is not this one. */
  configuredBy: string | undefined;
  /** What stopped the controller making the site's objects (a broken CA Secret). */
  problem: string | undefined;
  linkAccess: LinkAccess;
  deployment: V1Deployment | undefined;
  routerPods: readonly V1Pod[];
  defaultAccess: RouterAccess | undefined;
  network: NetworkStatus | undefined;
  controller: { name: string; namespace: string; version: string };
  now: Date;
}

function configured(o: SiteObservations): ConditionState {
  const namespace = o.site.metadata.namespace ?? '';
  if (o.configuredBy !== undefined) {
    return failed(ConditionType.Configured, `only one Site per namespace: Site ${o.configuredBy} already configures namespace ${namespace}; delete this one`);
  }
  if (o.linkAccess.kind === 'invalid') return failed(ConditionType.Configured, o.linkAccess.message);
  if (o.problem !== undefined) return failed(ConditionType.Configured, o.problem);
  return ok(ConditionType.Configured);
}

/** Why the router pod is not ready, from its container states. */
function podProblem(pod: V1Pod): string {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const waiting = statuses
    .filter((s) => !s.ready && s.state?.terminated?.reason !== 'Completed')
    .map((s) => `${s.name} ${s.state?.waiting?.reason ?? s.state?.terminated?.reason ?? 'not ready'}`);
  const phase = pod.status?.phase ?? 'Pending';
  return `router pod ${pod.metadata?.name ?? ''} is not ready (${phase}${waiting.length > 0 ? `: ${waiting.join(', ')}` : ''})`;
}

function running(o: SiteObservations): ConditionState {
  if (o.configuredBy !== undefined) return pending(ConditionType.Running, 'this Site is not configured, so it runs no router');
  if (o.deployment === undefined) return pending(ConditionType.Running, `waiting for Deployment ${RouterName} to be created`);
  if ((o.deployment.status?.availableReplicas ?? 0) >= 1) return ok(ConditionType.Running);
  const pod = o.routerPods.find((p) => p.metadata?.deletionTimestamp === undefined);
  if (pod === undefined) return pending(ConditionType.Running, `waiting for a pod of Deployment ${RouterName}`);
  return pending(ConditionType.Running, podProblem(pod));
}

function resolved(o: SiteObservations): ConditionState {
  const access = o.defaultAccess;
  if (access === undefined) return pending(ConditionType.Resolved, `waiting for RouterAccess ${DefaultRouterAccess}`);
  const condition = access.status?.conditions?.find((c) => c.type === ConditionType.Resolved);
  if (condition?.status === 'True') return ok(ConditionType.Resolved);
  return pending(ConditionType.Resolved, condition?.message ?? `waiting for RouterAccess ${DefaultRouterAccess} to resolve its endpoints`);
}

export function siteStatus(o: SiteObservations): SiteStatus {
  const withAccess = o.linkAccess.kind === 'access' && o.configuredBy === undefined;
  const required = [configured(o), running(o), ...(withAccess ? [resolved(o)] : [])];
  const summary = summarize(required, [supported(unsupportedSiteFields(o.site))], o.site.status?.conditions, o.site.metadata.generation ?? 0, o.now);
  const status: SiteStatus = { ...summary, defaultIssuer: SiteCaSecret, controller: o.controller };
  const endpoints = withAccess ? o.defaultAccess?.status?.endpoints : undefined;
  if (endpoints !== undefined) status.endpoints = endpoints;
  if (o.network !== undefined && o.network.siteId === o.site.metadata.uid) {
    status.sitesInNetwork = o.network.sites.length;
    status.network = o.network.sites;
  }
  return status;
}
