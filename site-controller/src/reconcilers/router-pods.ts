/** Router pods are recognised by the router selector's labels (common/src/kube-api/names.ts RouterSelector). */
import type { V1Pod } from '@kubernetes/client-node';
import { RouterSelector } from '../../../common/src/kube-api/names.js';

export function isRouterPod(pod: { metadata?: { labels?: Record<string, string> } } | V1Pod): boolean {
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(RouterSelector).every(([k, v]) => labels[k] === v);
}
