/**
 * What the runtime (informers, queues, leader election) hands the reconcilers, and what reconcilers
 * declare back: which cached kinds lead to which of their keys. The runtime owns the watches; a
 * reconciler only reads caches and writes through the API.
 */
import type { KubeConfig, V1ConfigMap, V1Deployment, V1Pod, V1Secret, V1Service } from '@kubernetes/client-node';
import type { AccessGrant, AccessToken, Link, RouterAccess, Site } from '../../../common/src/kube-api/types.js';
import type { Cache, ObjectKey, Reconciler } from './reconciler.js';

/**
 * Informer caches of every kind the controller reads, over the watched namespaces. Core kinds are
 * limited to objects labelled `app.kubernetes.io/part-of=skiff`, except Secrets (a Link may name any
 * Secret) and ConfigMaps (the network status is written by the adaptor with the same label).
 */
export interface Caches {
  sites: Cache<Site>;
  links: Cache<Link>;
  accessGrants: Cache<AccessGrant>;
  accessTokens: Cache<AccessToken>;
  routerAccesses: Cache<RouterAccess>;
  configMaps: Cache<V1ConfigMap>;
  secrets: Cache<V1Secret>;
  services: Cache<V1Service>;
  deployments: Cache<V1Deployment>;
  pods: Cache<V1Pod>;
}
export type CacheName = keyof Caches;

/** Settings from the controller's environment (names in common/src/kube-api/names.ts Env). */
export interface ControllerSettings {
  /** The controller's own namespace. */
  namespace: string;
  /** Namespaces watched; undefined means all. */
  watchNamespaces: string[] | undefined;
  routerImage: string;
  adaptorImage: string;
  nodePortHost: string | undefined;
  /** Name and version reported in Site.status.controller. */
  controllerName: string;
  version: string;
}

export interface ControllerContext {
  kubeConfig: KubeConfig;
  caches: Caches;
  settings: ControllerSettings;
  log: (line: string) => void;
}

/** An object of a cached kind, as the runtime hands it to a mapping. */
export type CachedObject = { metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] } };

/**
 * A reconciler with its wiring: events on its own kind enqueue the object's key; an event on an
 * object of a cache in `watches` enqueues the keys its function returns (e.g. the Site that owns a
 * Deployment, or every Link naming a Secret).
 */
export interface ReconcilerRegistration {
  reconciler: Reconciler;
  primary: CacheName;
  watches: { cache: CacheName; map: (object: CachedObject) => ObjectKey[] }[];
}
