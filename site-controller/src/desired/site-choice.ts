/**
 * One Site per namespace: the oldest Site not being deleted configures it (ties broken by name), so
 * the choice is stable however often it is made; any other Site only reports that it is ignored.
 */
import type { Site } from '../../../common/src/kube-api/types.js';

export function configuringSite(sites: readonly Site[]): Site | undefined {
  const live = sites.filter((s) => s.metadata.deletionTimestamp === undefined);
  live.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  return live[0];
}
