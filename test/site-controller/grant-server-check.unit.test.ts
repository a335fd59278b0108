import { describe, expect, it } from 'vitest';
import { checkGrant, redemptionsAllowed } from '../../site-controller/src/adaptor/grant-server-check.js';
import type { AccessGrant, AccessGrantSpec, AccessGrantStatus } from '../../common/src/kube-api/types.js';

const now = new Date('2026-12-02T08:00:00Z');
const grant = (spec: AccessGrantSpec, status: AccessGrantStatus): AccessGrant => ({ apiVersion: 'skupper.io/v2alpha1', kind: 'AccessGrant', metadata: { name: 'g', uid: 'u' }, spec, status });
const fresh: AccessGrantStatus = { code: 'c0de', redemptions: 0, expirationTime: '2026-12-02T08:15:00Z' };

describe('grant server - the checks of reference §7.3, in order', () => {
  it('accepts the right code within the window and the redemptions allowed', () => {
    expect(checkGrant(grant({}, fresh), 'c0de', now)).toEqual({ ok: true });
    expect(checkGrant(grant({ redemptionsAllowed: 3 }, { ...fresh, redemptions: 2 }), 'c0de', now)).toEqual({ ok: true });
  });

  it('says "No such claim" for no grant, a grant not processed yet, and an expired one', () => {
    expect(checkGrant(undefined, 'c0de', now)).toMatchObject({ ok: false, status: 404, answer: 'No such claim' });
    expect(checkGrant(grant({}, {}), 'c0de', now)).toMatchObject({ status: 404, answer: 'No such claim', reason: 'not processed yet (no status.code)' });
    expect(checkGrant(grant({}, { ...fresh, expirationTime: '2026-12-02T08:00:00Z' }), 'c0de', now)).toMatchObject({ status: 404, answer: 'No such claim', reason: 'expired at 2026-12-02T08:00:00Z' });
  });

  it('says "No such access granted" once the redemptions allowed are made (0 or unset means 1), before looking at the code', () => {
    expect(redemptionsAllowed(grant({}, fresh))).toBe(1);
    expect(redemptionsAllowed(grant({ redemptionsAllowed: 0 }, fresh))).toBe(1);
    expect(checkGrant(grant({}, { ...fresh, redemptions: 1 }), 'wrong', now)).toMatchObject({ status: 404, answer: 'No such access granted', reason: 'used up (1 of 1 redemptions made)' });
  });

  it('refuses a wrong code with 403, also one that only starts right', () => {
    for (const code of ['wrong', 'c0', 'c0de ', '']) expect(checkGrant(grant({}, fresh), code, now)).toMatchObject({ status: 403, answer: 'Redemption of access token refused' });
  });
});
