/**
 * What the runtime (informers, queues, leader election) hands the reconcilers, and what reconcilers
 * declare back: which cached kinds lead to which of their keys. The runtime owns the watches; a
 * reconciler only reads caches and writes through the API.
 */
import type { KubeConfig, V1ConfigMap, V1Deployment, V1Pod, V1Secret, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import type { AccessGrant, AccessToken, Connector, Link, Listener, RouterAccess, Site } from '../../../common/src/kube-api/types.js';
import type { Cache, ObjectKey, Reconciler } from './reconciler.js';

/**
 * Informer caches of every kind a controller of Skiff may read, over the watched namespaces. Which
 * of them a process fills, and with which label selector, is its CacheSelection (kinds.ts); a kind
 * it does not watch reads as empty.
 */
export interface Caches {
  sites: Cache<Site>;
  links: Cache<Link>;
  accessGrants: Cache<AccessGrant>;
  accessTokens: Cache<AccessToken>;
  routerAccesses: Cache<RouterAccess>;
  listeners: Cache<Listener>;
  connectors: Cache<Connector>;
  configMaps: Cache<V1ConfigMap>;
  secrets: Cache<V1Secret>;
  services: Cache<V1Service>;
  deployments: Cache<V1Deployment>;
  statefulSets: Cache<V1StatefulSet>;
  pods: Cache<V1Pod>;
}
export type CacheName = keyof Caches;

/** What the runtime itself needs of a process's settings. */
export interface RuntimeSettings {
  /** The controller's own namespace. */
  namespace: string;
  /** Namespaces watched; undefined means all. */
  watchNamespaces: string[] | undefined;
  /** Name and version for the start log line (and the site-controller's Site.status.controller). */
  controllerName: string;
  version: string;
}

/** The site-controller's settings from its environment (names in common/src/kube-api/names.ts Env). */
export interface ControllerSettings extends RuntimeSettings {
  routerImage: string;
  adaptorImage: string;
  /** The image of the service-controller beside each router (ADR 0005). */
  serviceControllerImage: string;
  nodePortHost: string | undefined;
}

export interface ControllerContext<S extends RuntimeSettings = ControllerSettings> {
  kubeConfig: KubeConfig;
  caches: Caches;
  settings: S;
  log: (line: string) => void;
}

/** An object of a cached kind, as the runtime hands it to a mapping. */
export type CachedObject = { metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] } };

/**
 * Events from outside the caches (controller-runtime's channel source), e.g. the router's
 * management connection coming back: `subscribe` is called when the controller starts, with the
 * way to enqueue keys, and returns the way to stop.
 */
export interface KeySource {
  subscribe(enqueue: (key: ObjectKey) => void): () => void;
}

/**
 * A reconciler with its wiring: events on its own kind enqueue the object's key (or the keys
 * `primaryKeys` returns for it: e.g. one key for the whole namespace); an event on an object of a
 * cache in `watches` enqueues the keys its function returns (e.g. the Site that owns a Deployment,
 * or every Link naming a Secret); `sources` enqueue keys on events of their own.
 */
export interface ReconcilerRegistration {
  reconciler: Reconciler;
  primary: CacheName;
  primaryKeys?: (object: CachedObject) => ObjectKey[];
  watches: { cache: CacheName; map: (object: CachedObject) => ObjectKey[] }[];
  sources?: KeySource[];
}
