/**
 * Site.spec.linkAccess and RouterAccess.spec.accessType: which Service type makes a router
 * reachable from other sites (ADR 0004). `default` means `loadbalancer`; ""/`none` means no access.
 */
export const AccessType = { loadbalancer: 'loadbalancer', nodeport: 'nodeport', local: 'local' } as const;
export type AccessType = (typeof AccessType)[keyof typeof AccessType];

const SUPPORTED_LINK_ACCESS = ['default', 'loadbalancer', 'nodeport', 'local', 'none'] as const;

export type LinkAccess = { kind: 'none' } | { kind: 'access'; type: AccessType } | { kind: 'invalid'; message: string };

/** An access type (for RouterAccess.spec.accessType, where "" and `default` both mean loadbalancer). */
export function parseAccessType(value: string | undefined): AccessType | undefined {
  if (value === undefined || value === '' || value === 'default') return AccessType.loadbalancer;
  return (Object.values(AccessType) as string[]).includes(value) ? (value as AccessType) : undefined;
}

export function parseLinkAccess(value: string | undefined): LinkAccess {
  if (value === undefined || value === '' || value === 'none') return { kind: 'none' };
  const type = parseAccessType(value);
  if (type !== undefined) return { kind: 'access', type };
  return {
    kind: 'invalid',
    message: `linkAccess "${value}" is not supported: use one of ${SUPPORTED_LINK_ACCESS.join(', ')}`,
  };
}

export function unknownAccessTypeMessage(value: string): string {
  return `accessType "${value}" is not supported: use one of default, ${Object.values(AccessType).join(', ')}`;
}
