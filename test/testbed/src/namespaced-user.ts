/**
 * A user who holds only a Role in one namespace, with a client certificate from the cluster's
 * CA: the least a Skiff site needs, and what tests use to prove that Skiff needs no
 * cluster-admin.
 */
import { join } from 'node:path';
import { CoreV1Api, RbacAuthorizationV1Api, type V1PolicyRule } from '@kubernetes/client-node';
import { writeKubeconfig } from './kubeconfig.js';
import { issue } from './pki-files.js';
import type { Cluster } from './testbed.js';

export interface NamespacedUserRequest {
  user: string;
  namespace: string;
  /** The Role's rules; default: every verb on every namespaced resource of every group. */
  rules?: V1PolicyRule[];
}

const ignoreConflict = (error: unknown) => {
  if ((error as { code?: number }).code !== 409) throw error;
};

export async function makeNamespacedUser(cluster: Cluster, request: NamespacedUserRequest): Promise<string> {
  const { user, namespace } = request;
  const core = cluster.kc.makeApiClient(CoreV1Api);
  const rbac = cluster.kc.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } }).catch(ignoreConflict);
  const role = `${user}-role`;
  await rbac
    .createNamespacedRole({
      namespace,
      body: { metadata: { name: role }, rules: request.rules ?? [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
    })
    .catch(ignoreConflict);
  await rbac
    .createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: role },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      },
    })
    .catch(ignoreConflict);
  const pki = join(cluster.dir, 'pki');
  const ca = { cert: join(pki, 'ca.crt'), key: join(pki, 'ca.key') };
  const client = await issue(ca, join(pki, 'users'), user, { commonName: user, usage: 'client' });
  return writeKubeconfig({ path: join(cluster.dir, `user-${user}.kubeconfig`), cluster: cluster.name, user, server: cluster.server, caFile: ca.cert, client, namespace });
}
