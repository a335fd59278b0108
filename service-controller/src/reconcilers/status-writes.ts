/**
 * Status writes that skip what would change nothing: Connectors' statuses follow every pod event of
 * the namespace, and an unchanged status written anyway would wake every watcher of the object.
 */
import type { Kind } from '../../../common/src/kube-api/types.js';
import type { KubeWriter } from '../../../site-controller/src/reconcilers/kube-writer.js';

type StatusOwner = { metadata: { name: string; namespace?: string; uid?: string }; status?: object };

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Writes `status` unless every field of it already holds that value. */
export async function writeStatusIfChanged(writer: KubeWriter, kind: Kind, object: StatusOwner, status: object): Promise<void> {
  const current = (object.status ?? {}) as Record<string, unknown>;
  const same = Object.entries(status).every(([field, value]) => canonical(current[field]) === canonical(value));
  if (!same) await writer.applyStatus(kind, object, status);
}
