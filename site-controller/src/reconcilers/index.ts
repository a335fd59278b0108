/**
 * The controller's reconcilers and what each one watches besides its own kind (runtime/context.ts).
 */
import { DefaultRouterAccess, SiteCaSecret } from '../../../common/src/kube-api/names.js';
import type { ControllerContext, ReconcilerRegistration } from '../runtime/context.js';
import { AccessGrantReconciler } from './access-grant.js';
import { AccessTokenReconciler, type Redeem } from './access-token.js';
import { KubeWriter } from './kube-writer.js';
import { LinkReconciler } from './link.js';
import { RouterAccessReconciler } from './router-access.js';
import { SiteReconciler } from './site.js';
import { allInNamespace, configMapTo, labelledSite, named, routerPodsTo, sameName, secretToLinks, secretToSites } from './watch-maps.js';

export interface ReconcilerOptions {
  /** How AccessTokens are redeemed (default: HTTPS to the token's URL, common/src/tokens). */
  redeem?: Redeem;
}

export function registrations(ctx: ControllerContext, options: ReconcilerOptions = {}): ReconcilerRegistration[] {
  const writer = new KubeWriter(ctx.kubeConfig);
  const { caches } = ctx;
  const sites = allInNamespace(caches.sites);
  return [
    {
      reconciler: new SiteReconciler(ctx, writer),
      primary: 'sites',
      watches: [
        { cache: 'links', map: sites },
        { cache: 'routerAccesses', map: sites },
        { cache: 'deployments', map: labelledSite },
        { cache: 'pods', map: routerPodsTo(labelledSite) },
        { cache: 'configMaps', map: configMapTo(sites, labelledSite) },
        { cache: 'secrets', map: secretToSites(caches) },
      ],
    },
    {
      reconciler: new RouterAccessReconciler(ctx, writer),
      primary: 'routerAccesses',
      watches: [
        { cache: 'services', map: sameName },
        { cache: 'pods', map: routerPodsTo(allInNamespace(caches.routerAccesses)) },
        { cache: 'sites', map: allInNamespace(caches.routerAccesses) },
      ],
    },
    {
      reconciler: new LinkReconciler(ctx, writer),
      primary: 'links',
      watches: [
        { cache: 'secrets', map: secretToLinks(caches) },
        { cache: 'configMaps', map: configMapTo(allInNamespace(caches.links)) },
        { cache: 'sites', map: allInNamespace(caches.links) },
      ],
    },
    {
      reconciler: new AccessGrantReconciler(ctx, writer),
      primary: 'accessGrants',
      watches: [
        { cache: 'routerAccesses', map: named(DefaultRouterAccess, allInNamespace(caches.accessGrants)) },
        { cache: 'secrets', map: named(SiteCaSecret, allInNamespace(caches.accessGrants)) },
        { cache: 'sites', map: allInNamespace(caches.accessGrants) },
      ],
    },
    {
      reconciler: new AccessTokenReconciler(ctx, writer, options.redeem),
      primary: 'accessTokens',
      watches: [{ cache: 'sites', map: allInNamespace(caches.accessTokens) }],
    },
  ];
}
