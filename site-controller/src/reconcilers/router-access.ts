/**
 * RouterAccess reconciler: the Service through which other sites reach the router, and the
 * endpoints it resolves to. The router's listeners for it are in the Site's router config.
 */
import { parseAccessType } from '../desired/link-access.js';
import { resolveEndpoints, type Resolution } from '../desired/access-endpoints.js';
import { routerAccessStatus } from '../desired/router-access-status.js';
import { routerService } from '../desired/router-service.js';
import { configuringSite } from '../desired/site-choice.js';
import type { ControllerContext } from '../runtime/context.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../runtime/reconciler.js';
import type { KubeWriter } from './kube-writer.js';
import { isRouterPod } from './router-pods.js';

export class RouterAccessReconciler implements Reconciler {
  readonly kind = 'RouterAccess';

  constructor(
    private readonly ctx: ControllerContext,
    private readonly writer: KubeWriter,
  ) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult | undefined> {
    const { caches, settings } = this.ctx;
    const access = caches.routerAccesses.get(key.namespace, key.name);
    if (access === undefined || access.metadata.deletionTimestamp !== undefined) return undefined;
    const site = configuringSite(caches.sites.list(key.namespace));
    const type = parseAccessType(access.spec?.accessType);
    let resolution: Resolution | undefined;
    if (site !== undefined && type !== undefined && (access.spec?.roles ?? []).length > 0) {
      await this.writer.apply(routerService(access, site.metadata.name, type));
      const pod = caches.pods.list(key.namespace).find((p) => isRouterPod(p) && p.metadata?.deletionTimestamp === undefined);
      resolution = resolveEndpoints(caches.services.get(key.namespace, key.name), type, pod, settings.nodePortHost);
    }
    const status = routerAccessStatus({ access, site, resolution, now: new Date() });
    await this.writer.applyStatus('RouterAccess', access, status);
    return undefined;
  }
}
