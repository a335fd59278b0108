/**
 * ServiceAccount, Role and RoleBinding `skupper-router` for the router pod's sidecars: the
 * kube-adaptor reads its config, certificates and grants, writes the network status and grant
 * status, and reads its own pod; the service-controller (ADR 0005) reads pods and workloads, and
 * writes Services, Listeners and Connectors (annotations and service sync make those) and their status.
 * RBAC refuses to grant more than the grantor holds, so these rules must stay a subset of the
 * controller's own Role (charts/skiff).
 */
import type { V1PolicyRule, V1Role, V1RoleBinding, V1ServiceAccount } from '@kubernetes/client-node';
import { RouterName } from '../../../common/src/kube-api/names.js';
import { GROUP, Plural, type Site } from '../../../common/src/kube-api/types.js';
import { ownedMeta } from './object-meta.js';

const READ = ['get', 'list', 'watch'];
const WRITE = [...READ, 'create', 'update', 'patch', 'delete'];

export const ADAPTOR_RULES: readonly V1PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: [...READ, 'create', 'update', 'patch'] },
  { apiGroups: [''], resources: ['secrets'], verbs: READ },
  // The adaptor reads its own pod; the service-controller every pod a Connector may select (ADR 0005).
  { apiGroups: [''], resources: ['pods'], verbs: READ },
  { apiGroups: [GROUP], resources: [Plural.Site, Plural.AccessGrant], verbs: READ },
  { apiGroups: [GROUP], resources: [`${Plural.AccessGrant}/status`], verbs: ['get', 'update', 'patch'] },
  // The service-controller: a Service per Listener host, workloads for annotations, Listener and Connector status.
  { apiGroups: [''], resources: ['services'], verbs: WRITE },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: READ },
  // The service-controller's Warning Events on annotated objects whose skupper.io annotations it cannot act on.
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [GROUP], resources: [Plural.Listener, Plural.Connector], verbs: WRITE },
  { apiGroups: [GROUP], resources: [`${Plural.Listener}/status`, `${Plural.Connector}/status`], verbs: ['update', 'patch'] },
  // The service-controller's headless Services name per-pod ClusterIPs in EndpointSlices of its own (ADR 0005).
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: [...READ, 'create', 'update', 'patch', 'delete'] },
];

export function routerRbac(site: Site): [V1ServiceAccount, V1Role, V1RoleBinding] {
  const namespace = site.metadata.namespace ?? '';
  const meta = () => ownedMeta(RouterName, namespace, site.metadata.name, site);
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta() },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(), rules: ADAPTOR_RULES.map((r) => ({ ...r })) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: RouterName },
      subjects: [{ kind: 'ServiceAccount', name: RouterName, namespace }],
    },
  ];
}
