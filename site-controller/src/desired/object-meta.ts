/**
 * Metadata of every object the controller makes: a deterministic name, the site's labels and one
 * controlling owner, so deleting the owner garbage-collects the object.
 */
import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';
import { siteLabels } from '../../../common/src/kube-api/names.js';
import type { ObjectMeta } from '../../../common/src/kube-api/types.js';

/** The owner's identity as the API needs it in an owner reference. */
export interface Owner {
  apiVersion: string;
  kind: string;
  metadata: Pick<ObjectMeta, 'name' | 'uid'>;
}

export function ownerReference(owner: Owner): V1OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Metadata of object `name` made for Site `site` in `namespace`, owned by `owner`. */
export function ownedMeta(name: string, namespace: string, site: string, owner: Owner, labels: Record<string, string> = {}): V1ObjectMeta {
  return {
    name,
    namespace,
    labels: { ...siteLabels(site), ...labels },
    ownerReferences: [ownerReference(owner)],
  };
}
