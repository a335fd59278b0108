/**
 * How each cached kind is listed and watched: its API path (one namespace, or all), its list call
 * and label selector, and the resource name RBAC knows it by (for the message when access is denied).
 */
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { Label, PART_OF } from '../../../common/src/kube-api/names.js';
import { GROUP, Plural, VERSION } from '../../../common/src/kube-api/types.js';
import type { CacheName } from './context.js';

/** Core kinds the controller makes are watched by this label only: a namespace's other objects stay out of memory. */
export const PartOfSelector = `${Label.partOf}=${PART_OF}`;

export interface KindSpec {
  /** `plural` or `plural.group`, as a Role names it. */
  resource: string;
  labelSelector: string | undefined;
  /** Watch path; `namespace` undefined means every namespace. */
  path(namespace: string | undefined): string;
  list(namespace: string | undefined): Promise<KubernetesListObject<KubernetesObject>>;
}

export function kindSpecs(kc: KubeConfig): Record<CacheName, KindSpec> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);

  const customKind = (plural: string): KindSpec => ({
    resource: `${plural}.${GROUP}`,
    labelSelector: undefined,
    path: (ns) => (ns ? `/apis/${GROUP}/${VERSION}/namespaces/${ns}/${plural}` : `/apis/${GROUP}/${VERSION}/${plural}`),
    list: async (ns) =>
      (ns
        ? await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural })
        : await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural })) as KubernetesListObject<KubernetesObject>,
  });

  const coreKind = (
    plural: string,
    labelSelector: string | undefined,
    inNamespace: (namespace: string, labelSelector: string | undefined) => Promise<KubernetesListObject<KubernetesObject>>,
    everywhere: (labelSelector: string | undefined) => Promise<KubernetesListObject<KubernetesObject>>,
    group = '',
  ): KindSpec => {
    const prefix = group ? `/apis/${group}` : '/api/v1';
    return {
      resource: group ? `${plural}.${group.split('/')[0]}` : plural,
      labelSelector,
      path: (ns) => (ns ? `${prefix}/namespaces/${ns}/${plural}` : `${prefix}/${plural}`),
      list: async (ns) => wireJson(await (ns ? inNamespace(ns, labelSelector) : everywhere(labelSelector))),
    };
  };
  const selector = (labelSelector: string | undefined) => (labelSelector ? { labelSelector } : {});

  return {
    sites: customKind(Plural.Site),
    links: customKind(Plural.Link),
    accessGrants: customKind(Plural.AccessGrant),
    accessTokens: customKind(Plural.AccessToken),
    routerAccesses: customKind(Plural.RouterAccess),
    configMaps: coreKind(
      'configmaps',
      undefined,
      (namespace, s) => core.listNamespacedConfigMap({ namespace, ...selector(s) }),
      (s) => core.listConfigMapForAllNamespaces(selector(s)),
    ),
    secrets: coreKind(
      'secrets',
      undefined,
      (namespace, s) => core.listNamespacedSecret({ namespace, ...selector(s) }),
      (s) => core.listSecretForAllNamespaces(selector(s)),
    ),
    services: coreKind(
      'services',
      PartOfSelector,
      (namespace, s) => core.listNamespacedService({ namespace, ...selector(s) }),
      (s) => core.listServiceForAllNamespaces(selector(s)),
    ),
    pods: coreKind(
      'pods',
      PartOfSelector,
      (namespace, s) => core.listNamespacedPod({ namespace, ...selector(s) }),
      (s) => core.listPodForAllNamespaces(selector(s)),
    ),
    deployments: coreKind(
      'deployments',
      PartOfSelector,
      (namespace, s) => apps.listNamespacedDeployment({ namespace, ...selector(s) }),
      (s) => apps.listDeploymentForAllNamespaces(selector(s)),
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
