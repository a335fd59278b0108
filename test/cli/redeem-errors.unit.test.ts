import { describe, expect, it } from 'vitest';
import { ClaimAnswer } from '../../cli/src/claims/claim-record.js';
import { cliErrorOf } from '../../cli/src/claims/redeem-errors.js';
import { invalidToken } from '../../common/src/tokens/errors.js';
import { GrantAnswer } from '../../common/src/tokens/protocol.js';
import { noAnswer, refusal, requestFailure } from '../../common/src/tokens/redeem-errors.js';

const url = 'https://127.0.0.1:8081/c1';
const socketError = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('redeem errors - as the CLI reports them', () => {
  it('keeps the code of each refusal, local claims and Kubernetes grants alike, with a hint naming the flag that helps', () => {
    const expired = cliErrorOf(refusal(url, 404, `${ClaimAnswer.expired}\n`));
    expect([expired.code, expired.hint]).toEqual(['SKIFF_ERR_CLAIM_EXPIRED', expect.stringMatching(/--expiry/)]);
    for (const usedUp of [ClaimAnswer.usedUp, GrantAnswer.usedUp]) expect(cliErrorOf(refusal(url, 404, usedUp)).hint).toMatch(/new token.*--uses/);
    expect(cliErrorOf(refusal(url, 403, GrantAnswer.refused)).hint).toMatch(/edited/);
    expect(cliErrorOf(refusal(url, 404, GrantAnswer.notFound)).hint).toMatch(/created again/);
  });

  it('keeps the message of any other answer', () => {
    const error = cliErrorOf(refusal(url, 500, 'Corrupted claim'));
    expect([error.code, error.exitCode, error.message]).toEqual(['SKIFF_ERR_CLAIM_REDEEM', 6, `failed to redeem the token at ${url}: 500 Corrupted claim`]);
  });

  it('gives every remote failure exit code 6 and a hint, and an unusable file exit code 2', () => {
    for (const error of [refusal(url, 404, ClaimAnswer.expired), requestFailure(url, socketError('ECONNREFUSED')), noAnswer(url, 1), requestFailure(url, socketError('CERT_HAS_EXPIRED'))]) {
      const cli = cliErrorOf(error);
      expect(cli.exitCode).toBe(6);
      expect(cli.hint).not.toBe('');
    }
    expect(cliErrorOf(requestFailure(url, socketError('ECONNREFUSED'))).hint).toMatch(/issuing site runs/);
    expect(cliErrorOf(invalidToken('t.yaml', 'spec.code is missing')).exitCode).toBe(2);
  });
});
