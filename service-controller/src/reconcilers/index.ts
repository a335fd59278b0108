/**
 * The service-controller's reconcilers and what each one watches besides its own kind
 * (site-controller/src/runtime/context.ts). Annotation-driven exposure adds its registration here.
 */
import type { ReconcilerRegistration } from '../../../site-controller/src/runtime/context.js';
import { siteKey, type ServiceControllerDeps } from '../deps.js';
import { BridgeReconciler } from './bridges.js';
import { ConnectorStatusReconciler } from './connector-status.js';
import { ListenerServiceReconciler } from './listener-service.js';
import { ListenerStatusReconciler } from './listener-status.js';
import { allOf, always, listenerToServices, networkStatusTo, serviceToListeners } from './watch-maps.js';
import { ServiceSync } from '../sync/service-sync.js';
import { annotationRegistrations } from '../annotations/registrations.js';
import { headlessRegistration } from '../headless/headless-registration.js';

export function registrations(deps: ServiceControllerDeps): ReconcilerRegistration[] {
  const { caches, settings } = deps.ctx;
  const site = siteKey(settings);
  const toSite = always(site);
  const listeners = allOf((ns) => caches.listeners.list(ns));
  const connectors = allOf((ns) => caches.connectors.list(ns));
  return [
    {
      reconciler: new BridgeReconciler(deps),
      primary: 'sites',
      primaryKeys: toSite,
      watches: [
        { cache: 'listeners', map: toSite },
        { cache: 'connectors', map: toSite },
        { cache: 'pods', map: toSite },
        { cache: 'services', map: toSite },
      ],
      sources: [{ subscribe: (enqueue) => deps.router.onConnected(() => enqueue(site)) }],
    },
    {
      reconciler: new ListenerServiceReconciler(deps),
      primary: 'services',
      watches: [{ cache: 'listeners', map: listenerToServices(caches) }],
    },
    {
      reconciler: new ListenerStatusReconciler(deps),
      primary: 'listeners',
      watches: [
        { cache: 'listeners', map: listeners },
        { cache: 'services', map: serviceToListeners(caches) },
        { cache: 'configMaps', map: networkStatusTo(listeners) },
      ],
    },
    {
      reconciler: new ConnectorStatusReconciler(deps),
      primary: 'connectors',
      watches: [
        { cache: 'pods', map: connectors },
        { cache: 'configMaps', map: networkStatusTo(connectors) },
      ],
    },
    new ServiceSync(deps).registration,
    ...annotationRegistrations(deps),
    headlessRegistration(deps),
  ];
}
