/**
 * Link reconciler: reports whether the site can dial the Link (Configured) and whether the router
 * holds it connected (Operational, from the kube-adaptor's network status). The connector itself is
 * part of the router config the Site reconciler renders, so Link events also enqueue the Site.
 */
import { NetworkStatusConfigMap } from '../../../common/src/kube-api/names.js';
import { linkStatus } from '../desired/link-status.js';
import { parseNetworkStatus } from '../desired/network-status.js';
import { configuringSite } from '../desired/site-choice.js';
import type { ControllerContext } from '../runtime/context.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../runtime/reconciler.js';
import type { KubeWriter } from './kube-writer.js';

export class LinkReconciler implements Reconciler {
  readonly kind = 'Link';

  constructor(
    private readonly ctx: ControllerContext,
    private readonly writer: KubeWriter,
  ) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult | undefined> {
    const { caches } = this.ctx;
    const link = caches.links.get(key.namespace, key.name);
    if (link === undefined || link.metadata.deletionTimestamp !== undefined) return undefined;
    const secret = link.spec?.tlsCredentials;
    const status = linkStatus({
      link,
      site: configuringSite(caches.sites.list(key.namespace)),
      secretExists: secret !== undefined && secret !== '' && caches.secrets.get(key.namespace, secret) !== undefined,
      network: parseNetworkStatus(caches.configMaps.get(key.namespace, NetworkStatusConfigMap)),
      now: new Date(),
    });
    await this.writer.applyStatus('Link', link, status);
    return undefined;
  }
}
