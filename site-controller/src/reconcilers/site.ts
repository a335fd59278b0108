/**
 * Site reconciler: makes everything a site consists of (ADR 0004) — the CA and server Secrets, the
 * adaptor's RBAC, the default RouterAccess, the router ConfigMap (links included: a Link change
 * lands here) and the router Deployment — then reports Configured, Running and Resolved.
 */
import { DefaultRouterAccess, NetworkStatusConfigMap, RouterName, SiteCaSecret, SiteServerSecret } from '../../../common/src/kube-api/names.js';
import { API_VERSION, type Site } from '../../../common/src/kube-api/types.js';
import { defaultRouterAccess } from '../desired/default-router-access.js';
import { linkProblem } from '../desired/link-status.js';
import { parseAccessType, parseLinkAccess, type LinkAccess } from '../desired/link-access.js';
import { parseNetworkStatus } from '../desired/network-status.js';
import { routerConfigMap } from '../desired/router-config-map.js';
import { routerDeployment } from '../desired/router-deployment.js';
import { routerRbac } from '../desired/router-rbac.js';
import { caFromSecret, serverHosts, serverSecretCurrent, siteCaSecret, siteServerSecret } from '../desired/site-certs.js';
import { configuringSite } from '../desired/site-choice.js';
import { siteStatus } from '../desired/site-status.js';
import type { ControllerContext } from '../runtime/context.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../runtime/reconciler.js';
import type { KubeWriter } from './kube-writer.js';
import { isRouterPod } from './router-pods.js';

export class SiteReconciler implements Reconciler {
  readonly kind = 'Site';

  constructor(
    private readonly ctx: ControllerContext,
    private readonly writer: KubeWriter,
  ) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult | undefined> {
    const site = this.ctx.caches.sites.get(key.namespace, key.name);
    if (site === undefined || site.metadata.deletionTimestamp !== undefined) return undefined;
    const chosen = configuringSite(this.ctx.caches.sites.list(key.namespace));
    const configuredBy = chosen !== undefined && chosen.metadata.name !== site.metadata.name ? chosen.metadata.name : undefined;
    const linkAccess = parseLinkAccess(site.spec?.linkAccess);
    const problem = configuredBy === undefined && linkAccess.kind !== 'invalid' ? await this.converge(site, linkAccess) : undefined;
    await this.writeStatus(site, configuredBy, linkAccess, problem);
    return undefined;
  }

  /** Applies everything the Site consists of; returns what stops it, if anything does. */
  private async converge(site: Site, linkAccess: Exclude<LinkAccess, { kind: 'invalid' }>): Promise<string | undefined> {
    const namespace = site.metadata.namespace ?? '';
    const { caches } = this.ctx;
    // The cache first; on a miss the API decides, so a lagging cache never makes a second CA.
    const caSecret = caches.secrets.get(namespace, SiteCaSecret) ?? (await this.writer.secretOnce(namespace, SiteCaSecret, () => siteCaSecret(site)));
    const ca = caFromSecret(caSecret);
    if (ca === undefined) return `Secret ${SiteCaSecret} holds no tls.crt and tls.key: delete it and a new site CA is made (links made with the old one must be made again)`;
    const hosts = serverHosts(namespace, linkAccess.kind === 'access' ? caches.routerAccesses.get(namespace, DefaultRouterAccess) : undefined);
    if (!serverSecretCurrent(caches.secrets.get(namespace, SiteServerSecret), hosts)) {
      await this.writer.apply(siteServerSecret(site, ca, hosts));
    }
    for (const object of routerRbac(site)) await this.writer.apply(object);
    if (linkAccess.kind === 'access') {
      await this.writer.apply(defaultRouterAccess(site, linkAccess.type));
    } else if (caches.routerAccesses.get(namespace, DefaultRouterAccess)?.metadata.ownerReferences?.some((o) => o.uid === site.metadata.uid) === true) {
      await this.writer.deleteIfExists({ apiVersion: API_VERSION, kind: 'RouterAccess', metadata: { name: DefaultRouterAccess, namespace } });
    }
    const accesses = caches.routerAccesses.list(namespace).filter((a) => a.metadata.deletionTimestamp === undefined && parseAccessType(a.spec?.accessType) !== undefined);
    const links = caches.links.list(namespace).filter((link) => {
      const secret = link.spec?.tlsCredentials;
      const exists = secret !== undefined && caches.secrets.get(namespace, secret) !== undefined;
      return link.metadata.deletionTimestamp === undefined && linkProblem(link, site, exists) === undefined;
    });
    await this.writer.apply(routerConfigMap(site, accesses, links));
    await this.writer.apply(routerDeployment(site, this.ctx.settings));
    return undefined;
  }

  private async writeStatus(site: Site, configuredBy: string | undefined, linkAccess: LinkAccess, problem: string | undefined): Promise<void> {
    const namespace = site.metadata.namespace ?? '';
    const { caches, settings } = this.ctx;
    const status = siteStatus({
      site,
      configuredBy,
      problem,
      linkAccess,
      deployment: caches.deployments.get(namespace, RouterName),
      routerPods: caches.pods.list(namespace).filter(isRouterPod),
      defaultAccess: caches.routerAccesses.get(namespace, DefaultRouterAccess),
      network: parseNetworkStatus(caches.configMaps.get(namespace, NetworkStatusConfigMap)),
      controller: { name: settings.controllerName, namespace: settings.namespace, version: settings.version },
      now: new Date(),
    });
    await this.writer.applyStatus('Site', site, status);
  }
}

