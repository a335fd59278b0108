/** Reads what the kube-adaptor wrote into ConfigMap `skupper-network-status` (api/network-status.ts). */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { NetworkStatusKey } from '../../../common/src/kube-api/names.js';
import type { LinkState, NetworkStatus } from '../../../common/src/kube-api/network-status.js';

function isNetworkStatus(value: unknown): value is NetworkStatus {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['siteId'] === 'string' && Array.isArray(v['links']) && Array.isArray(v['sites']);
}

/** The status, or undefined when the ConfigMap is missing or its content is not a network status. */
export function parseNetworkStatus(configMap: V1ConfigMap | undefined): NetworkStatus | undefined {
  const text = configMap?.data?.[NetworkStatusKey];
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isNetworkStatus(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function linkState(status: NetworkStatus | undefined, link: string): LinkState | undefined {
  return status?.links.find((l) => l.name === link);
}
