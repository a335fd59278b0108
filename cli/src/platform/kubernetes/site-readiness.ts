/**
 * What makes a Site ready, as items to wait for: a controller has taken it, its router config is
 * made, its router pod is Ready and, with link access, its endpoints are resolved (ADR 0004: the
 * Site's conditions Configured, Running, Resolved).
 */
import { ConditionType, type Site } from '../../../../common/src/kube-api/types.js';
import { conditionItem } from './conditions.js';
import { taken } from './no-controller.js';
import type { WaitItem } from './wait.js';

export const SiteItem = {
  controller: 'a controller to take the Site',
  configured: 'router config',
  running: 'router pod Ready',
  resolved: 'link access endpoints',
} as const;

export function hasLinkAccess(site: Site): boolean {
  const access = site.spec?.linkAccess;
  return access !== undefined && access !== '' && access !== 'none';
}

export function siteItems(site: Site): WaitItem[] {
  return [
    { label: SiteItem.controller, done: taken(site.status) },
    conditionItem(site.status, ConditionType.Configured, SiteItem.configured),
    conditionItem(site.status, ConditionType.Running, SiteItem.running),
    ...(hasLinkAccess(site) ? [conditionItem(site.status, ConditionType.Resolved, SiteItem.resolved)] : []),
  ];
}

/** Endpoints as `name host:port`, for people. */
export function endpointLines(site: Site): string[] {
  return (site.status?.endpoints ?? []).map((e) => `${e.name ?? e.group ?? 'endpoint'} ${e.host ?? '?'}:${e.port ?? '?'}`);
}
