import { TokenError } from '../../common/src/tokens/errors.js';

/** The TokenError a redemption fails with; fails the test if it succeeds or fails otherwise. */
export async function tokenFailure(promise: Promise<unknown>): Promise<TokenError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenError) return error;
    throw error;
  }
  throw new Error('redeemed');
}
