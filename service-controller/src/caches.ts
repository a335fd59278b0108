/**
 * What the service-controller caches (ADR 0005): its own namespace only, the Site it serves,
 * Listeners and Connectors, and every Pod, Service, Deployment and StatefulSet (a Connector may
 * select any pod; a Listener's host may be any Service; annotations may sit on any workload). Of
 * the ConfigMaps only Skiff's: the network status is one of them.
 */
import { PartOfSelector, type CacheSelection } from '../../site-controller/src/runtime/kinds.js';

const everything = { labelSelector: undefined };

export const ServiceControllerCaches: CacheSelection = {
  sites: everything,
  listeners: everything,
  connectors: everything,
  pods: everything,
  services: everything,
  deployments: everything,
  statefulSets: everything,
  configMaps: { labelSelector: PartOfSelector },
};
