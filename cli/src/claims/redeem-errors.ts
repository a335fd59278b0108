/**
 * A failed redemption (common/src/tokens, any token kind, any issuing site) as the CLI reports it:
 * the same code and message (so the same exit code: 6, or 2 for an unusable token file), and a hint naming the
 * skiff flags that help. Pure, so each mapping is tested without a server.
 */
import { TokenErrorCode, type TokenError } from '../../../common/src/tokens/errors.js';
import { CliError } from '../errors.js';

const NEW_TOKEN = "ask the other site for a new token ('skiff token create FILE')";

const HINTS: Record<TokenErrorCode, string> = {
  [TokenErrorCode.invalid]: "make a new one on the other site with 'skiff token create FILE'",
  [TokenErrorCode.expired]: `${NEW_TOKEN}; --expiry makes a token last longer`,
  [TokenErrorCode.usedUp]: `${NEW_TOKEN}; --uses lets one token link several sites`,
  [TokenErrorCode.refused]: `the token file may have been edited: use the original file, or ${NEW_TOKEN}`,
  [TokenErrorCode.notFound]: `the grant expired, or the site was deleted and created again: ${NEW_TOKEN}`,
  [TokenErrorCode.tls]: `the CA in the token does not vouch for that server: the file was edited or the site re-created; ${NEW_TOKEN}`,
  [TokenErrorCode.unreachable]: "check that the issuing site runs ('skiff status' there) and that its address is reachable from here",
  [TokenErrorCode.redeem]: `${NEW_TOKEN}; if it persists, read the other site's logs (runtime/agent.log on a local site)`,
};

export function cliErrorOf(error: TokenError): CliError {
  return new CliError(error.code, error.message, HINTS[error.code], { cause: error });
}
