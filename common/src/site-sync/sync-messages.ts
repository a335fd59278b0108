/**
 * The messages of service sync (reference §5.6), multicast on `mc/$skupper-service-sync`:
 *
 *   subject service-sync-update-v2   origin, version   body: JSON array of the origin's own
 *                                                       service definitions (as Skupper sends)
 *   subject skiff-site-report-v1     origin, version   body: JSON SiteReport (Skiff's companion,
 *                                                       for `network status`)
 *
 * Bodies are AMQP strings. Decoding never throws: a message that is not one of these is ignored.
 */
import type { Message } from 'rhea';
import { definitionsFrom, type ServiceDefinition } from './service-definition.js';
import { siteReportFrom, type SiteReport } from './site-report.js';

export const SYNC_ADDRESS = 'mc/$skupper-service-sync';
export const SyncSubject = { services: 'service-sync-update-v2', siteReport: 'skiff-site-report-v1' } as const;

export type SyncMessage =
  | { kind: 'services'; origin: string; definitions: ServiceDefinition[] }
  | { kind: 'siteReport'; origin: string; report: SiteReport };

export function servicesMessage(origin: string, version: string, definitions: readonly ServiceDefinition[]): Message {
  return { subject: SyncSubject.services, application_properties: { origin, version }, body: JSON.stringify(definitions) };
}

export function siteReportMessage(version: string, report: SiteReport): Message {
  return { subject: SyncSubject.siteReport, application_properties: { origin: report.id, version }, body: JSON.stringify(report) };
}

export function decodeSyncMessage(message: Message): SyncMessage | undefined {
  const origin = (message.application_properties as Record<string, unknown> | undefined)?.origin;
  if (typeof origin !== 'string') return undefined;
  const body = parseBody(message.body);
  if (message.subject === SyncSubject.services) return { kind: 'services', origin, definitions: definitionsFrom(body) };
  if (message.subject === SyncSubject.siteReport) {
    const report = siteReportFrom(body);
    return report === undefined || report.id !== origin ? undefined : { kind: 'siteReport', origin, report };
  }
  return undefined;
}

function parseBody(body: unknown): unknown {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : undefined;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A sender that is not service sync: nothing in it to use.
    return undefined;
  }
}
