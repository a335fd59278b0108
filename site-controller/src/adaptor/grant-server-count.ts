/**
 * Counts one redemption in AccessGrant.status.redemptions with an optimistic update: the write
 * carries the resourceVersion read, so of two concurrent redemptions of the last one allowed only
 * one is written; the other gets 409, reads the grant again and is checked again (used up now).
 */
import type { CustomObjectsApi } from '@kubernetes/client-node';
import { GROUP, Plural, VERSION, type AccessGrant } from '../../../common/src/kube-api/types.js';
import { checkGrant, type GrantCheck } from './grant-server-check.js';

const ATTEMPTS = 5;

/** ok, a refusal from checkGrant, or 503 when every attempt met a newer version. */
export type CountResult = GrantCheck | { ok: false; status: 503; answer: string; reason: string };

export async function countRedemption(custom: CustomObjectsApi, cached: AccessGrant, code: string, now: () => Date): Promise<CountResult> {
  const { namespace = '', name, uid } = cached.metadata;
  let grant: AccessGrant | undefined = cached;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const check = checkGrant(grant, code, now());
    if (!check.ok || grant === undefined) return check;
    const status = grant.status ?? {};
    const body: AccessGrant = { ...grant, status: { ...status, redemptions: (status.redemptions ?? 0) + 1 } };
    try {
      await custom.replaceNamespacedCustomObjectStatus({ group: GROUP, version: VERSION, namespace, plural: Plural.AccessGrant, name, body });
      return { ok: true };
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    grant = await reread(custom, namespace, name, uid);
  }
  return { ok: false, status: 503, answer: 'Service unavailable, try again', reason: `status update conflicted ${ATTEMPTS} times` };
}

/** The grant as stored now; undefined when it was deleted or replaced by another of the same name. */
async function reread(custom: CustomObjectsApi, namespace: string, name: string, uid: string | undefined): Promise<AccessGrant | undefined> {
  try {
    const grant = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.AccessGrant, name })) as AccessGrant;
    return grant.metadata.uid === uid ? grant : undefined;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** HTTP status of a failed client-node call (ApiException.code), if it has one. */
export function statusOf(error: unknown): number | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}
