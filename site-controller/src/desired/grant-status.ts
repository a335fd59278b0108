/**
 * An AccessGrant's status (reference §7.3, ADR 0004): where to redeem it (the grant endpoint of the
 * default RouterAccess), its code, the site CA and when it expires. `redemptions` belongs to the
 * grant server and is never part of what the controller writes.
 */
import { randomInt } from 'node:crypto';
import { DefaultRouterAccess } from '../../../common/src/kube-api/names.js';
import { ConditionType, type AccessGrant, type AccessGrantStatus, type Endpoint, type Site } from '../../../common/src/kube-api/types.js';
import { failed, ok, pending, summarize, supported, type ConditionState } from './conditions.js';
import { parseGoDuration } from './go-duration.js';
import type { LinkAccess } from './link-access.js';
import { GrantPortName } from './router-service.js';
import { unsupportedGrantFields } from './unsupported.js';

export const DEFAULT_EXPIRATION_WINDOW_MS = 15 * 60_000;

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random 24-character code (Skupper's length). */
export function randomCode(): string {
  return Array.from({ length: 24 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

/** The expiry window in ms, or an error message naming the bad value. */
export function expirationWindow(grant: AccessGrant): number | string {
  const text = grant.spec?.expirationWindow;
  if (text === undefined || text === '') return DEFAULT_EXPIRATION_WINDOW_MS;
  const ms = parseGoDuration(text);
  if (ms === undefined || ms <= 0) return `expirationWindow "${text}" is not a positive duration: use e.g. 15m, 1h or 1h30m`;
  return ms;
}

export interface GrantObservations {
  grant: AccessGrant;
  site: Site | undefined;
  linkAccess: LinkAccess;
  grantEndpoint: Endpoint | undefined;
  caPem: string | undefined;
  code: string;
  now: Date;
}

/** What the controller writes; `redemptions` is left out on purpose. */
export type GrantStatusPatch = Omit<AccessGrantStatus, 'redemptions'>;

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function grantStatus(o: GrantObservations): GrantStatusPatch {
  const window = expirationWindow(o.grant);
  const patch: GrantStatusPatch = { code: o.code };
  let processed: ConditionState = ok(ConditionType.Processed);
  let resolved: ConditionState = ok(ConditionType.Resolved);
  if (typeof window === 'string') processed = failed(ConditionType.Processed, window);
  else patch.expirationTime = rfc3339(Date.parse(o.grant.metadata.creationTimestamp ?? o.now.toISOString()) + window);
  if (o.site === undefined) {
    resolved = pending(ConditionType.Resolved, `no Site in namespace ${o.grant.metadata.namespace ?? ''}: create one with link access (skiff init --enable-link-access)`);
  } else if (o.linkAccess.kind !== 'access') {
    resolved = failed(ConditionType.Resolved, 'site has no link access: set Site spec.linkAccess');
  } else if (o.grantEndpoint?.host === undefined || o.grantEndpoint.port === undefined) {
    resolved = pending(ConditionType.Resolved, `waiting for the grant endpoint of RouterAccess ${DefaultRouterAccess}`);
  } else if (o.caPem === undefined) {
    resolved = pending(ConditionType.Resolved, 'waiting for the site CA');
  } else {
    patch.url = `https://${o.grantEndpoint.host}:${o.grantEndpoint.port}/${o.grant.metadata.uid ?? ''}`;
    patch.ca = o.caPem;
  }
  const summary = summarize([processed, resolved], [supported(unsupportedGrantFields(o.grant))], o.grant.status?.conditions, o.grant.metadata.generation ?? 0, o.now);
  return { ...patch, ...summary };
}

export function grantEndpoint(endpoints: readonly Endpoint[] | undefined): Endpoint | undefined {
  return endpoints?.find((e) => e.name === GrantPortName);
}
