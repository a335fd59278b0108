/**
 * How each cached kind is listed and watched: its API path (one namespace, or all), its list call
 * and label selector, and the resource name RBAC knows it by (for the message when access is denied).
 * Which kinds a process caches, and with which selector, is its CacheSelection.
 */
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { Label, PART_OF } from '../../../common/src/kube-api/names.js';
import { GROUP, Plural, VERSION } from '../../../common/src/kube-api/types.js';
import type { CacheName } from './context.js';

/** Core kinds the controller makes are watched by this label only: a namespace's other objects stay out of memory. */
export const PartOfSelector = `${Label.partOf}=${PART_OF}`;

/** What a process caches: each kind it watches, with the label selector its watch uses (undefined: every object). */
export type CacheSelection = Readonly<Partial<Record<CacheName, { labelSelector: string | undefined }>>>;

const everything = { labelSelector: undefined };
const skiffs = { labelSelector: PartOfSelector };

/**
 * The site-controller's caches: Skiff's kinds it reconciles, and of the core kinds only what it
 * made, except Secrets (a Link may name any Secret) and ConfigMaps (few, and the network status is
 * the adaptor's).
 */
export const SiteControllerCaches: CacheSelection = {
  sites: everything,
  links: everything,
  accessGrants: everything,
  accessTokens: everything,
  routerAccesses: everything,
  configMaps: everything,
  secrets: everything,
  services: skiffs,
  deployments: skiffs,
  pods: skiffs,
};

export interface KindSpec {
  /** `plural` or `plural.group`, as a Role names it. */
  resource: string;
  labelSelector: string | undefined;
  /** Watch path; `namespace` undefined means every namespace. */
  path(namespace: string | undefined): string;
  list(namespace: string | undefined): Promise<KubernetesListObject<KubernetesObject>>;
}

/** The spec of every kind, with the label selectors of `selection` (kinds it leaves out get none). */
export function kindSpecs(kc: KubeConfig, selection: CacheSelection): Record<CacheName, KindSpec> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const selector = (labelSelector: string | undefined) => (labelSelector ? { labelSelector } : {});

  const customKind = (plural: string, cache: CacheName): KindSpec => {
    const labelSelector = selection[cache]?.labelSelector;
    return {
    resource: `${plural}.${GROUP}`,
    labelSelector,
    path: (ns) => (ns ? `/apis/${GROUP}/${VERSION}/namespaces/${ns}/${plural}` : `/apis/${GROUP}/${VERSION}/${plural}`),
    list: async (ns) =>
      (ns
        ? await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural, ...selector(labelSelector) })
        : await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural, ...selector(labelSelector) })) as KubernetesListObject<KubernetesObject>,
    };
  };

  const coreKind = (
    plural: string,
    cache: CacheName,
    inNamespace: (namespace: string, labelSelector: string | undefined) => Promise<KubernetesListObject<KubernetesObject>>,
    everywhere: (labelSelector: string | undefined) => Promise<KubernetesListObject<KubernetesObject>>,
    group = '',
  ): KindSpec => {
    const prefix = group ? `/apis/${group}` : '/api/v1';
    const labelSelector = selection[cache]?.labelSelector;
    return {
      resource: group ? `${plural}.${group.split('/')[0]}` : plural,
      labelSelector,
      path: (ns) => (ns ? `${prefix}/namespaces/${ns}/${plural}` : `${prefix}/${plural}`),
      list: async (ns) => wireJson(await (ns ? inNamespace(ns, labelSelector) : everywhere(labelSelector))),
    };
  };

  return {
    sites: customKind(Plural.Site, 'sites'),
    links: customKind(Plural.Link, 'links'),
    accessGrants: customKind(Plural.AccessGrant, 'accessGrants'),
    accessTokens: customKind(Plural.AccessToken, 'accessTokens'),
    routerAccesses: customKind(Plural.RouterAccess, 'routerAccesses'),
    listeners: customKind(Plural.Listener, 'listeners'),
    connectors: customKind(Plural.Connector, 'connectors'),
    configMaps: coreKind(
      'configmaps',
      'configMaps',
      (namespace, s) => core.listNamespacedConfigMap({ namespace, ...selector(s) }),
      (s) => core.listConfigMapForAllNamespaces(selector(s)),
    ),
    secrets: coreKind(
      'secrets',
      'secrets',
      (namespace, s) => core.listNamespacedSecret({ namespace, ...selector(s) }),
      (s) => core.listSecretForAllNamespaces(selector(s)),
    ),
    services: coreKind(
      'services',
      'services',
      (namespace, s) => core.listNamespacedService({ namespace, ...selector(s) }),
      (s) => core.listServiceForAllNamespaces(selector(s)),
    ),
    pods: coreKind(
      'pods',
      'pods',
      (namespace, s) => core.listNamespacedPod({ namespace, ...selector(s) }),
      (s) => core.listPodForAllNamespaces(selector(s)),
    ),
    deployments: coreKind(
      'deployments',
      'deployments',
      (namespace, s) => apps.listNamespacedDeployment({ namespace, ...selector(s) }),
      (s) => apps.listDeploymentForAllNamespaces(selector(s)),
      'apps/v1',
    ),
    statefulSets: coreKind(
      'statefulsets',
      'statefulSets',
      (namespace, s) => apps.listNamespacedStatefulSet({ namespace, ...selector(s) }),
      (s) => apps.listStatefulSetForAllNamespaces(selector(s)),
      'apps/v1',
    ),
  };
}

/**
 * The typed list calls turn timestamps into Dates while watch events carry the API's JSON as is; one
 * form in the cache (the JSON, timestamps as strings) keeps a listed object equal to the same object
 * seen through a watch.
 */
function wireJson(list: KubernetesListObject<KubernetesObject>): KubernetesListObject<KubernetesObject> {
  return JSON.parse(JSON.stringify(list)) as KubernetesListObject<KubernetesObject>;
}
