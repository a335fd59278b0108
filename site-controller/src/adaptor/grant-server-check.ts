/**
 * The grant server's decision for one request, pure so each refusal is tested without a server:
 * reference §7.3's checks in its order — unknown or expired grant, used up, wrong code.
 */
import { timingSafeEqual } from 'node:crypto';
import { GrantAnswer } from '../../../common/src/tokens/protocol.js';
import type { AccessGrant } from '../../../common/src/kube-api/types.js';

export type GrantCheck = { ok: true } | { ok: false; status: 403 | 404; answer: GrantAnswer; reason: string };

export function redemptionsAllowed(grant: AccessGrant): number {
  const allowed = grant.spec?.redemptionsAllowed ?? 0;
  // Skupper reads 0 (unset) as 1.
  return allowed > 0 ? allowed : 1;
}

export function checkGrant(grant: AccessGrant | undefined, code: string, now: Date): GrantCheck {
  if (grant === undefined) return refuse(404, GrantAnswer.notFound, 'no AccessGrant has this uid');
  const status = grant.status ?? {};
  if (status.code === undefined || status.code === '') return refuse(404, GrantAnswer.notFound, 'not processed yet (no status.code)');
  if (status.expirationTime !== undefined && Date.parse(status.expirationTime) <= now.getTime()) {
    return refuse(404, GrantAnswer.notFound, `expired at ${status.expirationTime}`);
  }
  const made = status.redemptions ?? 0;
  const allowed = redemptionsAllowed(grant);
  if (made >= allowed) return refuse(404, GrantAnswer.usedUp, `used up (${made} of ${allowed} redemptions made)`);
  if (!sameCode(status.code, code)) return refuse(403, GrantAnswer.refused, 'wrong code');
  return { ok: true };
}

function refuse(status: 403 | 404, answer: GrantAnswer, reason: string): GrantCheck {
  return { ok: false, status, answer, reason };
}

function sameCode(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  // Constant time, so the answer's timing does not tell how much of a guess was right.
  return a.length === b.length && timingSafeEqual(a, b);
}
