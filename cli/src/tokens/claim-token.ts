/**
 * Claim tokens in Skupper's file shape (reference §2.2): an Opaque Secret labelled
 * `skupper.io/type: token-claim` holding a password and the issuing site's CA; its `skupper.io/url`
 * annotation is where the password is redeemed for a cert token.
 */
import { stringify } from 'yaml';
import { base64, GENERATED_BY, SecretDocument, SITE_VERSION, TOKEN_TYPE_LABEL } from './secret-document.js';

export const TOKEN_CLAIM = 'token-claim';
const URL_ANNOTATION = 'skupper.io/url';
const EXPIRATION = 'skupper.io/claim-expiration';

export interface ClaimToken {
  name: string;
  /** https://<host>:<port>/<name> of the issuing site's claims server. */
  url: string;
  generatedBy: string;
  siteVersion: string;
  /** RFC 3339, or null for no expiry. */
  expiration: string | null;
  password: string;
  ca: string;
}

export function claimTokenYaml(token: ClaimToken): string {
  const annotations: Record<string, string> = { [URL_ANNOTATION]: token.url, [SITE_VERSION]: token.siteVersion, [GENERATED_BY]: token.generatedBy };
  if (token.expiration !== null) annotations[EXPIRATION] = token.expiration;
  return stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: token.name, labels: { [TOKEN_TYPE_LABEL]: TOKEN_CLAIM }, annotations },
    data: { password: base64(token.password), 'ca.crt': base64(token.ca) },
  });
}

export function claimTokenOf(doc: SecretDocument): ClaimToken {
  const url = doc.annotation(URL_ANNOTATION);
  if (!URL.canParse(url) || new URL(url).protocol !== 'https:') throw doc.invalid(`${URL_ANNOTATION} is not an https URL`);
  return {
    name: doc.name ?? new URL(url).pathname.slice(1),
    url,
    generatedBy: doc.annotation(GENERATED_BY),
    siteVersion: doc.optionalAnnotation(SITE_VERSION) ?? 'unknown',
    expiration: doc.optionalAnnotation(EXPIRATION) ?? null,
    password: doc.text('password'),
    ca: doc.certificate('ca.crt'),
  };
}
