/** An AccessToken's status: Redeemed, with what went wrong and what to do when it is not. */
import { ConditionType, type AccessToken, type AccessTokenStatus } from '../../../common/src/kube-api/types.js';
import { failed, ok, pending, summarize, supported, type ConditionState } from './conditions.js';
import { unsupportedTokenFields } from './unsupported.js';

export type TokenOutcome = { kind: 'redeemed' } | { kind: 'waiting'; message: string } | { kind: 'refused'; message: string };

export function tokenStatus(token: AccessToken, outcome: TokenOutcome, now: Date): AccessTokenStatus {
  let redeemed: ConditionState;
  if (outcome.kind === 'redeemed') redeemed = ok(ConditionType.Redeemed);
  else if (outcome.kind === 'waiting') redeemed = pending(ConditionType.Redeemed, outcome.message);
  else redeemed = failed(ConditionType.Redeemed, outcome.message);
  const summary = summarize([redeemed], [supported(unsupportedTokenFields(token))], token.status?.conditions, token.metadata.generation ?? 0, now);
  return { ...summary, redeemed: outcome.kind === 'redeemed' };
}
