/**
 * Fields Skiff accepts (so Skupper YAML applies unchanged) but does not act on: each kind names them
 * in its `Supported` condition instead of ignoring them silently.
 */
import { RouterName, SiteCaSecret } from '../../../common/src/kube-api/names.js';
import type { AccessGrant, AccessToken, Link, RouterAccess, Settings, Site } from '../../../common/src/kube-api/types.js';
import { DEFAULT_SYNC_GRACE_SECONDS, parseSyncTtl, ServiceSyncTtlSetting } from './service-sync-ttl.js';

/** Every `settings` key is named, except those in `known`. */
export function settingsKeys(settings: Settings | undefined, known: readonly string[] = []): string[] {
  return Object.keys(settings ?? {}).filter((k) => !known.includes(k)).sort().map((k) => `spec.settings.${k}`);
}

/** The Site settings Skiff acts on, when their value is one it understands. */
function siteSettingsKeys(settings: Settings | undefined): string[] {
  const ttl = settings?.[ServiceSyncTtlSetting];
  const badTtl = ttl !== undefined && parseSyncTtl(ttl) === undefined;
  return [
    ...settingsKeys(settings, [ServiceSyncTtlSetting]),
    ...(badTtl ? [`spec.settings.${ServiceSyncTtlSetting} ('${ttl}' is neither seconds nor a Go duration such as 3m; ${DEFAULT_SYNC_GRACE_SECONDS} s is used)`] : []),
  ];
}

function set(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

export function unsupportedSiteFields(site: Site): string[] {
  const spec = site.spec ?? {};
  const fields: string[] = [];
  if (spec.ha === true) fields.push('spec.ha');
  if (set(spec.defaultIssuer) && spec.defaultIssuer !== SiteCaSecret) fields.push('spec.defaultIssuer');
  if (set(spec.serviceAccount) && spec.serviceAccount !== 'default' && spec.serviceAccount !== RouterName) fields.push('spec.serviceAccount');
  if (spec.edge === true && set(spec.linkAccess) && spec.linkAccess !== 'none') fields.push('spec.linkAccess (an edge site accepts no links)');
  return [...fields, ...siteSettingsKeys(spec.settings)];
}

export function unsupportedLinkFields(link: Link): string[] {
  return [...(link.spec?.noClientAuth === true ? ['spec.noClientAuth'] : []), ...settingsKeys(link.spec?.settings)];
}

export function unsupportedRouterAccessFields(access: RouterAccess): string[] {
  const spec = access.spec ?? {};
  const fields: string[] = [];
  if (spec.generateTlsCredentials === true) fields.push('spec.generateTlsCredentials');
  if (set(spec.issuer)) fields.push('spec.issuer');
  if ((spec.subjectAlternativeNames ?? []).length > 0) fields.push('spec.subjectAlternativeNames');
  return [...fields, ...settingsKeys(spec.settings)];
}

export function unsupportedGrantFields(grant: AccessGrant): string[] {
  return [...(set(grant.spec?.issuer) && grant.spec?.issuer !== SiteCaSecret ? ['spec.issuer'] : []), ...settingsKeys(grant.spec?.settings)];
}

export function unsupportedTokenFields(token: AccessToken): string[] {
  return settingsKeys(token.spec?.settings);
}
