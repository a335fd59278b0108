/**
 * AccessGrant reconciler: publishes where and how to redeem a grant (url, code, CA, expiry). The
 * grant server in the kube-adaptor redeems it and owns `redemptions`; an expired grant keeps its
 * status (the grant server refuses it).
 */
import { DefaultRouterAccess, SiteCaSecret } from '../../../common/src/kube-api/names.js';
import { grantEndpoint, grantStatus, randomCode } from '../desired/grant-status.js';
import { parseLinkAccess } from '../desired/link-access.js';
import { caFromSecret } from '../desired/site-certs.js';
import { configuringSite } from '../desired/site-choice.js';
import type { ControllerContext } from '../runtime/context.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../runtime/reconciler.js';
import type { KubeWriter } from './kube-writer.js';

export class AccessGrantReconciler implements Reconciler {
  readonly kind = 'AccessGrant';
  /** Codes generated here by grant uid: a reconcile that runs before the cache holds the written status keeps the same code. */
  private readonly generated = new Map<string, string>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly writer: KubeWriter,
  ) {}

  private code(uid: string, spec: string | undefined, current: string | undefined): string {
    if (spec !== undefined && spec !== '') return spec;
    const code = current ?? this.generated.get(uid) ?? randomCode();
    this.generated.set(uid, code);
    return code;
  }

  async reconcile(key: ObjectKey): Promise<ReconcileResult | undefined> {
    const { caches } = this.ctx;
    const grant = caches.accessGrants.get(key.namespace, key.name);
    if (grant === undefined || grant.metadata.deletionTimestamp !== undefined) {
      for (const [uid] of this.generated) if (!caches.accessGrants.list().some((g) => g.metadata.uid === uid)) this.generated.delete(uid);
      return undefined;
    }
    const site = configuringSite(caches.sites.list(key.namespace));
    const status = grantStatus({
      grant,
      site,
      linkAccess: parseLinkAccess(site?.spec?.linkAccess),
      grantEndpoint: grantEndpoint(caches.routerAccesses.get(key.namespace, DefaultRouterAccess)?.status?.endpoints),
      caPem: caFromSecret(caches.secrets.get(key.namespace, SiteCaSecret))?.cert,
      code: this.code(grant.metadata.uid ?? key.name, grant.spec?.code, grant.status?.code),
      now: new Date(),
    });
    await this.writer.applyStatus('AccessGrant', grant, status);
    return undefined;
  }
}
