/**
 * What the running router says about itself, for a debug dump: one management QUERY per entity
 * type (all attributes, so counters included) and its /metrics page. A query that fails is
 * recorded as its error, so one refused type does not cost the rest of the dump.
 */
import type { TarEntry } from '../../archive/tar-writer.js';
import { Management } from '../../mgmt/management.js';
import type { SitePorts } from '../../site/site-state.js';
import { jsonEntry } from './json-entry.js';
import { redactJson } from './redact.js';

/** Entity types queried, skmanage's names without the `io.skupper.router.` prefix. */
const SNAPSHOT_TYPES = ['router', 'router.node', 'router.link', 'router.address', 'connection', 'listener', 'connector', 'tcpListener', 'tcpConnector'] as const;

const METRICS_TIMEOUT_MS = 5000;

export async function routerSnapshotEntries(ports: SitePorts): Promise<TarEntry[]> {
  const entries = await managementEntries(ports.management);
  entries.push(await metricsEntry(ports.http));
  return entries;
}

async function managementEntries(port: number): Promise<TarEntry[]> {
  try {
    return await Management.with(port, async (mgmt) => {
      const entries: TarEntry[] = [];
      for (const type of SNAPSHOT_TYPES) {
        const answer = await mgmt.query(type).then((rows) => ({ rows }), (error: unknown) => ({ error: (error as Error).message }));
        entries.push(jsonEntry(`management/${type}.json`, redactJson(answer)));
      }
      return entries;
    });
  } catch (error) {
    return [{ name: 'management/unreachable.txt', data: `${(error as Error).message}\n` }];
  }
}

async function metricsEntry(port: number): Promise<TarEntry> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(METRICS_TIMEOUT_MS) });
    return { name: 'router/metrics.txt', data: await response.text() };
  } catch (error) {
    return { name: 'router/metrics.unreachable.txt', data: `GET http://127.0.0.1:${port}/metrics: ${(error as Error).message}\n` };
  }
}
