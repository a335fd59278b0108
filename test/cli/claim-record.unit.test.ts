import { describe, expect, it } from 'vitest';
import { checkClaim, type ClaimRecord } from '../../cli/src/claims/claim-record.js';

const now = new Date('2026-01-01T12:00:00Z');
const record: ClaimRecord = { name: 'c1', password: 'secret', expiration: '2026-01-01T12:15:00Z', remaining: 1, made: 0 };

describe('claim record - redemption checks in Skupper order', () => {
  it('accepts the right password before expiry while uses remain', () => {
    expect(checkClaim(record, 'secret', now)).toEqual({ ok: true, record });
    expect(checkClaim({ ...record, expiration: null }, 'secret', now).ok).toBe(true);
  });

  it('answers 404 for a missing, expired or used-up claim and 403 for a wrong password', () => {
    expect(checkClaim(undefined, 'secret', now)).toEqual({ ok: false, status: 404, reason: 'No such claim' });
    expect(checkClaim(record, 'secret', new Date('2026-01-01T12:15:00Z'))).toEqual({ ok: false, status: 404, reason: 'Claim expired' });
    expect(checkClaim(record, 'secreT', now)).toEqual({ ok: false, status: 403, reason: 'Claim refused' });
    expect(checkClaim(record, 'secret-longer', now)).toEqual({ ok: false, status: 403, reason: 'Claim refused' });
    expect(checkClaim({ ...record, remaining: 0 }, 'secret', now)).toEqual({ ok: false, status: 404, reason: 'Claim used up' });
  });

  it('checks expiry before the password, and the password before the uses left', () => {
    expect(checkClaim({ ...record, remaining: 0 }, 'wrong', new Date('2027-01-01T00:00:00Z'))).toMatchObject({ reason: 'Claim expired' });
    expect(checkClaim({ ...record, remaining: 0 }, 'wrong', now)).toMatchObject({ reason: 'Claim refused' });
  });
});
