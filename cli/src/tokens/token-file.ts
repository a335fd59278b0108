/**
 * Reads a token file of any kind — a v1 cert or claim token Secret, or a v2 AccessToken — so
 * `link create` and `token status` accept and refuse the same files with the same errors.
 */
import { readFileSync } from 'node:fs';
import { accessTokenOf, isAccessToken, type AccessTokenDocument } from '../../../common/src/tokens/access-token.js';
import { TokenError } from '../../../common/src/tokens/errors.js';
import { parseYaml } from '../../../common/src/tokens/yaml-values.js';
import { cliErrorOf } from '../claims/redeem-errors.js';
import { CliError, ErrorCode } from '../errors.js';
import { certTokenOf, CONNECTION_TOKEN, type CertToken } from './cert-token.js';
import { claimTokenOf, TOKEN_CLAIM, type ClaimToken } from './claim-token.js';
import { SecretDocument } from './secret-document.js';

export type TokenFile = { kind: 'claim'; token: ClaimToken } | { kind: 'cert'; token: CertToken } | { kind: 'access'; token: AccessTokenDocument };

export function readTokenFile(file: string): TokenFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(ErrorCode.SKIFF_ERR_FILE, `cannot read ${file}: ${(error as Error).message}`, 'give the path of a token file', { cause: error });
  }
  const yaml = parseQuietly(text);
  if (isAccessToken(yaml)) {
    try {
      return { kind: 'access', token: accessTokenOf(yaml, file) };
    } catch (error) {
      throw error instanceof TokenError ? cliErrorOf(error) : error;
    }
  }
  const doc = SecretDocument.parse(text, file);
  if (doc.type === TOKEN_CLAIM) return { kind: 'claim', token: claimTokenOf(doc) };
  if (doc.type === CONNECTION_TOKEN) return { kind: 'cert', token: certTokenOf(doc) };
  throw doc.invalid(`expected a ${CONNECTION_TOKEN} or ${TOKEN_CLAIM} Secret, or an AccessToken`);
}

/** The YAML document, or undefined when it is not YAML (SecretDocument.parse then says where). */
function parseQuietly(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return undefined;
  }
}
