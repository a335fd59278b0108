/**
 * What every registration and component of the service-controller is built from: the runtime's
 * context (caches, settings, log), the writer for the API, and the router connection.
 */
import type { KubeWriter } from '../../site-controller/src/reconcilers/kube-writer.js';
import type { ControllerContext } from '../../site-controller/src/runtime/context.js';
import type { ObjectKey } from '../../site-controller/src/runtime/reconciler.js';
import type { RouterConnection } from './router/router-connection.js';
import type { ServiceControllerSettings } from './settings.js';

export interface ServiceControllerDeps {
  ctx: ControllerContext<ServiceControllerSettings>;
  writer: KubeWriter;
  router: RouterConnection;
}

/** The key of work done for the whole site at once (the bridges): the Site's. */
export function siteKey(settings: ServiceControllerSettings): ObjectKey {
  return { namespace: settings.namespace, name: settings.siteName };
}
