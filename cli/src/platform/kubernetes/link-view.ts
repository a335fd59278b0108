/**
 * Links as `link status` shows them: one row per Link (NAME STATUS COST MESSAGE, as Skupper v2's
 * table), operational from its Operational condition, and the links other sites made to this one
 * (from Site.status.network, where each site lists the links it made).
 */
import { ConditionType, type Link, type Site } from '../../../../common/src/kube-api/types.js';
import { condition, conditionItem, messageOf, statusOf } from './conditions.js';
import type { WaitItem } from './wait.js';

export interface LinkRow {
  name: string;
  status: string;
  operational: boolean;
  cost: number;
  message: string;
  remoteSiteId: string | null;
  remoteSiteName: string | null;
}

export interface IncomingLink {
  name: string;
  remoteSiteId: string;
  remoteSiteName: string;
  namespace: string | null;
  operational: boolean;
}

export function linkRow(link: Link): LinkRow {
  return {
    name: link.metadata.name,
    status: statusOf(link.status),
    operational: condition(link.status, ConditionType.Operational)?.status === 'True',
    cost: link.spec?.cost ?? 1,
    message: messageOf(link.status),
    remoteSiteId: link.status?.remoteSiteId ?? null,
    remoteSiteName: link.status?.remoteSiteName ?? null,
  };
}

export function linkItem(link: Link): WaitItem {
  return conditionItem(link.status, ConditionType.Operational, `Link ${link.metadata.name} operational`);
}

/** Links other sites of the network made to `site`. */
export function incomingLinks(site: Site): IncomingLink[] {
  const id = site.metadata.uid;
  return (site.status?.network ?? [])
    .filter((other) => other.id !== id)
    .flatMap((other) =>
      (other.links ?? []).filter((l) => l.remoteSiteId === id).map((l) => ({ name: l.name, remoteSiteId: other.id, remoteSiteName: other.name, namespace: other.namespace ?? null, operational: l.operational })),
    );
}

/** Columns padded to their widest cell, two spaces apart. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export function linkTable(rows: readonly LinkRow[]): string[] {
  return renderTable(['NAME', 'STATUS', 'COST', 'MESSAGE'], rows.map((r) => [r.name, r.status, String(r.cost), r.message]));
}
