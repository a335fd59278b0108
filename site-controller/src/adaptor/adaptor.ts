/**
 * The kube-adaptor's run mode, put together: watches of the router ConfigMap and the Secrets in
 * the pod's namespace feed the config sync; the status publisher reports and writes the network
 * status; the grant server redeems AccessGrants; /healthz, /readyz and /metrics (the runtime's
 * health server) answer the pod's probes.
 *
 *   ConfigMap skupper-router ─┐
 *   Secrets ──────────────────┴─▶ ConfigSync ─▶ router $management (127.0.0.1)
 *   router $management + mc/$skupper-service-sync ─▶ StatusPublisher ─▶ ConfigMap skupper-network-status
 */
import { CoreV1Api, type KubeConfig, type V1ConfigMap, type V1Secret } from '@kubernetes/client-node';
import { packageVersion } from '../../../common/src/package-version.js';
import { RouterConfigMap } from '../../../common/src/kube-api/names.js';
import { startHealthServer } from '../runtime/health-server.js';
import { ConfigSync } from './config-sync.js';
import { startGrantServer } from './grant-server.js';
import { RouterSession } from './router-session.js';
import type { AdaptorSettings } from './settings.js';
import { SiteIdentity } from './site-identity.js';
import { StatusConfigMap } from './status-configmap.js';
import { StatusPublisher } from './status-publisher.js';
import { Watched } from './watched.js';

export interface RunningAdaptor {
  stop(): Promise<void>;
}

export async function startAdaptor(kc: KubeConfig, settings: AdaptorSettings, log: (line: string) => void): Promise<RunningAdaptor> {
  const namespace = settings.namespace;
  const core = kc.makeApiClient(CoreV1Api);
  const containerId = `skiff-adaptor-${settings.podName || settings.siteName}`;
  const session = new RouterSession(settings.managementPort, containerId, log);
  const changed = (): void => configSync.request();
  const fieldSelector = `metadata.name=${RouterConfigMap}`;
  const configMaps = new Watched<V1ConfigMap>(kc, `ConfigMap ${RouterConfigMap}`, namespace, `/api/v1/namespaces/${namespace}/configmaps`,
    () => core.listNamespacedConfigMap({ namespace, fieldSelector }), changed, log, fieldSelector);
  const secrets = new Watched<V1Secret>(kc, 'Secrets', namespace, `/api/v1/namespaces/${namespace}/secrets`,
    () => core.listNamespacedSecret({ namespace }), changed, log);
  const configSync = new ConfigSync({ certsDir: settings.certsDir, session, configMaps, secrets, log });
  await Promise.all([configMaps.start(), secrets.start()]);
  configSync.start();

  const site = new SiteIdentity(kc, namespace, settings.siteName, log);
  const publisher = new StatusPublisher({
    managementPort: settings.managementPort, containerId: `${containerId}-sync`, namespace, version: packageVersion(),
    session, configSync, site, configMap: new StatusConfigMap(kc, namespace), onRouterReady: () => configSync.request(), log,
  });
  publisher.start();
  const health = await startHealthServer({
    notReadyReason: () => (configSync.synced ? undefined : `the router is not yet in sync with ConfigMap ${RouterConfigMap}`),
    metrics: () => `# HELP skiff_adaptor_router_synced Whether the router has been brought to its config since the adaptor started.\n# TYPE skiff_adaptor_router_synced gauge\nskiff_adaptor_router_synced ${configSync.synced ? 1 : 0}\n`,
  }, settings.healthPort);
  const grants = startGrantServer({ port: settings.grantPort, namespace, kubeConfig: kc, site: () => site.current(), log });
  log(`kube-adaptor running for site ${settings.siteName} in namespace ${namespace} (health on ${settings.healthPort}, grants on ${settings.grantPort})`);

  return {
    stop: async () => {
      publisher.stop();
      configSync.stop();
      session.close();
      await Promise.all([configMaps.stop(), secrets.stop(), grants.close(), health.close()]);
    },
  };
}
