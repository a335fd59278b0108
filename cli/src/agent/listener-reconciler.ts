/**
 * Brings the router's tcpListeners to the wanted set over management: deletes those not wanted or
 * changed, creates the missing ones. Level-based, so it is safe to run at any time and again.
 */
import type { Management } from '../mgmt/management.js';
import { listenerEntityName, serviceEntity } from '../site/router-config.js';
import type { ServiceListener } from '../site/site-state.js';

export async function reconcileListeners(mgmt: Management, wanted: readonly ServiceListener[], log: (line: string) => void): Promise<void> {
  const rows = await mgmt.query('tcpListener', ['name', 'host', 'port', 'address']);
  const byName = new Map(wanted.map((l) => [listenerEntityName(l), l]));
  const kept = new Set<string>();
  for (const row of rows) {
    const name = String(row.name);
    const want = byName.get(name);
    if (want !== undefined && String(row.host) === want.host && String(row.port) === String(want.port) && String(row.address) === want.address) {
      kept.add(name);
      continue;
    }
    await mgmt.delete('tcpListener', name);
    log(`tcpListener ${name} on ${String(row.host)}:${String(row.port)} deleted`);
  }
  for (const listener of wanted) {
    const name = listenerEntityName(listener);
    if (kept.has(name)) continue;
    await mgmt.create(serviceEntity(listener));
    log(`tcpListener ${name} on ${listener.host}:${listener.port} created`);
  }
}
