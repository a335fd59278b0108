import { describe, expect, it } from 'vitest';
import { TokenError } from '../../common/src/tokens/errors.js';
import { GrantAnswer } from '../../common/src/tokens/protocol.js';
import { noAnswer, refusal, requestFailure } from '../../common/src/tokens/redeem-errors.js';

const url = 'https://172.30.1.100:8081/0b5c4c1e-5a8e-4c8f-9b0e-0d7e3c2a1f00';
const socketError = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('token errors - one code per cause', () => {
  it('maps v2 grant answers: unknown or expired, used up, wrong code', () => {
    const notFound = refusal(url, 404, `${GrantAnswer.notFound}\n`);
    expect([notFound.code, notFound.status, notFound.serverMessage]).toEqual(['SKIFF_ERR_CLAIM_NOT_FOUND', 404, 'No such claim']);
    expect(notFound.message).toBe(`the issuing site knows no grant at ${url}: it expired, was deleted, or the site was re-created (404 No such claim)`);
    expect(refusal(url, 404, GrantAnswer.usedUp).code).toBe('SKIFF_ERR_CLAIM_USED_UP');
    expect(refusal(url, 403, GrantAnswer.refused).code).toBe('SKIFF_ERR_CLAIM_REFUSED');
  });

  it("maps a local site's claim answers the same way, with expiry told apart", () => {
    expect(refusal(url, 404, GrantAnswer.claimExpired).code).toBe('SKIFF_ERR_CLAIM_EXPIRED');
    expect(refusal(url, 404, GrantAnswer.claimUsedUp).code).toBe('SKIFF_ERR_CLAIM_USED_UP');
    expect(refusal(url, 403, GrantAnswer.claimRefused).code).toBe('SKIFF_ERR_CLAIM_REFUSED');
  });

  it('keeps the status and text of any other answer', () => {
    const error = refusal(url, 503, 'Service unavailable, try again');
    expect([error.code, error.status, error.serverMessage]).toEqual(['SKIFF_ERR_CLAIM_REDEEM', 503, 'Service unavailable, try again']);
    expect(error.message).toContain('503 Service unavailable, try again');
  });

  it('tells an unreachable server from an untrusted one', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH']) expect(requestFailure(url, socketError(code)).code).toBe('SKIFF_ERR_CLAIMS_UNREACHABLE');
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
      expect(requestFailure(url, socketError(code)).code).toBe('SKIFF_ERR_CLAIM_TLS');
    }
    expect(requestFailure(url, socketError('EPIPE', 'write EPIPE')).code).toBe('SKIFF_ERR_CLAIM_REDEEM');
    expect(noAnswer(url, 15).message).toBe(`no answer from ${url} within 15 s`);
  });

  it('gives every error a hint and keeps it an Error', () => {
    for (const error of [refusal(url, 404, GrantAnswer.notFound), requestFailure(url, socketError('ECONNREFUSED')), noAnswer(url, 1)]) {
      expect(error).toBeInstanceOf(TokenError);
      expect(error).toBeInstanceOf(Error);
      expect(error.hint).not.toBe('');
    }
  });
});
