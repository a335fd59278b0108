import { describe, expect, it } from 'vitest';
import { ClaimAnswer } from '../../cli/src/claims/claim-record.js';
import { refusedClaim, timedOut, unanswered } from '../../cli/src/claims/redeem-errors.js';

const url = 'https://127.0.0.1:8081/c1';
const socketError = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('redeem errors - one code per cause', () => {
  it('maps the claims server answers to expired, used up, refused and unknown claims', () => {
    expect(refusedClaim(url, 404, `${ClaimAnswer.expired}\n`).code).toBe('SKIFF_ERR_CLAIM_EXPIRED');
    expect(refusedClaim(url, 404, ClaimAnswer.usedUp).code).toBe('SKIFF_ERR_CLAIM_USED_UP');
    expect(refusedClaim(url, 403, ClaimAnswer.refused).code).toBe('SKIFF_ERR_CLAIM_REFUSED');
    // Skupper's own servers say "No such claim" for a used-up claim too: it stays "not found".
    expect(refusedClaim(url, 404, ClaimAnswer.notFound).code).toBe('SKIFF_ERR_CLAIM_NOT_FOUND');
  });

  it('keeps the status and text of any other answer in the message', () => {
    const error = refusedClaim(url, 500, 'Corrupted claim');
    expect([error.code, error.exitCode, error.message]).toEqual(['SKIFF_ERR_CLAIM_REDEEM', 6, `failed to redeem claim ${url}: 500 Corrupted claim`]);
  });

  it('tells an unreachable server from an untrusted one', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH']) expect(unanswered(url, socketError(code)).code).toBe('SKIFF_ERR_CLAIMS_UNREACHABLE');
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
      expect(unanswered(url, socketError(code)).code).toBe('SKIFF_ERR_CLAIM_TLS');
    }
    expect(unanswered(url, socketError('EPIPE', 'write EPIPE')).code).toBe('SKIFF_ERR_CLAIM_REDEEM');
    expect(timedOut(url, 15).message).toBe(`no answer from the claims server at ${url} within 15 s`);
  });

  it('gives every failure exit code 6 and a hint', () => {
    for (const error of [refusedClaim(url, 404, ClaimAnswer.expired), unanswered(url, socketError('ECONNREFUSED')), timedOut(url, 1)]) {
      expect(error.exitCode).toBe(6);
      expect(error.hint).not.toBe('');
    }
  });
});
