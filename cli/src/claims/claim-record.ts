/**
 * What the issuing site remembers about a claim token (Skupper's claim record secret): the
 * password, when it expires and how many redemptions are left. `checkClaim` applies Skupper's
 * checks in Skupper's order (reference §2.3) and is pure, so it is tested without a server.
 */
import { timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { GrantAnswer } from '../../../common/src/tokens/protocol.js';
import type { SitePaths } from '../site/site-paths.js';
import { writeFileAtomic } from '../../../common/src/atomic-file.js';

export interface ClaimRecord {
  name: string;
  password: string;
  /** RFC 3339, or null for no expiry. */
  expiration: string | null;
  remaining: number;
  made: number;
}

/**
 * The texts the claims server answers with (reference §2.3). Skupper answers a used-up claim with
 * "No such claim"; Skiff keeps the 404 (a redeemer must not retry) but says what happened.
 */
export const ClaimAnswer = {
  notFound: GrantAnswer.notFound,
  expired: GrantAnswer.claimExpired,
  usedUp: GrantAnswer.claimUsedUp,
  refused: GrantAnswer.claimRefused,
} as const;
export type ClaimAnswer = (typeof ClaimAnswer)[keyof typeof ClaimAnswer];

export type ClaimCheck = { ok: true; record: ClaimRecord } | { ok: false; status: 403 | 404; reason: ClaimAnswer };

export function checkClaim(record: ClaimRecord | undefined, password: string, now: Date): ClaimCheck {
  if (record === undefined) return { ok: false, status: 404, reason: ClaimAnswer.notFound };
  if (record.expiration !== null && Date.parse(record.expiration) <= now.getTime()) return { ok: false, status: 404, reason: ClaimAnswer.expired };
  if (!samePassword(record.password, password)) return { ok: false, status: 403, reason: ClaimAnswer.refused };
  if (record.remaining <= 0) return { ok: false, status: 404, reason: ClaimAnswer.usedUp };
  return { ok: true, record };
}

function samePassword(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  // Constant-time compare so the answer time does not leak how much of a guess was right.
  return a.length === b.length && timingSafeEqual(a, b);
}

export function readClaim(paths: SitePaths, name: string): ClaimRecord | undefined {
  const file = paths.claim(name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClaimRecord) : undefined;
}

export function writeClaim(paths: SitePaths, record: ClaimRecord): void {
  writeFileAtomic(paths.claim(record.name), JSON.stringify(record, null, 2) + '\n', 0o600);
}
