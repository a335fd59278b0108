/**
 * Site setting `service-sync-site-ttl` (ADR 0005): how long a silent origin keeps the services it
 * announced, in seconds or as a Go duration (`180`, `3m`, `90s`); the service-controller gets it as
 * SKIFF_SYNC_GRACE_SECONDS. Skupper v1's default is 180 s.
 */
import type { Site } from '../../../common/src/kube-api/types.js';
import { parseGoDuration } from './go-duration.js';

export const ServiceSyncTtlSetting = 'service-sync-site-ttl';
export const DEFAULT_SYNC_GRACE_SECONDS = 180;

/** Whole seconds (at least 1), or undefined when `text` is neither seconds nor a Go duration. */
export function parseSyncTtl(text: string): number | undefined {
  const trimmed = text.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : parseGoDuration(trimmed);
  if (ms === undefined || ms <= 0) return undefined;
  return Math.max(1, Math.round(ms / 1000));
}

/** The Site's grace in seconds: its setting when valid, else the default. */
export function syncGraceSeconds(site: Site): number {
  const text = site.spec?.settings?.[ServiceSyncTtlSetting];
  return (text === undefined ? undefined : parseSyncTtl(text)) ?? DEFAULT_SYNC_GRACE_SECONDS;
}
