/**
 * The pods a Connector with a selector reaches (ADR 0005): in its namespace, matching the selector,
 * Running, Ready (unless includeNotReadyPods), not terminating, with an IP. Sorted by name, so the
 * status and the bridges do not change with the cache's order.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Connector, SelectedPod } from '../../../common/src/kube-api/types.js';
import { matches, parseSelector } from './label-selector.js';

function ready(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

export function selectedPods(connector: Connector, pods: readonly V1Pod[]): SelectedPod[] {
  const selector = connector.spec?.selector;
  if (selector === undefined || selector === '') return [];
  const parsed = parseSelector(selector);
  if (!parsed.ok) return [];
  const includeNotReady = connector.spec?.includeNotReadyPods === true;
  return pods
    .filter((pod) =>
      pod.metadata?.deletionTimestamp === undefined &&
      pod.status?.phase === 'Running' &&
      (pod.status.podIP ?? '') !== '' &&
      (includeNotReady || ready(pod)) &&
      matches(parsed.requirements, pod.metadata?.labels),
    )
    .map((pod) => ({ name: pod.metadata?.name ?? '', ip: pod.status?.podIP ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
