/**
 * AccessToken documents (reference §7.3): what `skiff token create` writes for a Kubernetes site and
 * Skupper's `token issue` writes, `apiVersion skupper.io/v2alpha1, kind AccessToken, metadata.name,
 * spec {url, code, ca, linkCost}`. Reading one checks every field a redemption needs, so a bad file
 * is named with its bad field here rather than failing later as an obscure TLS or HTTP error.
 */
import { X509Certificate } from 'node:crypto';
import { stringify } from 'yaml';
import { API_VERSION, type AccessTokenSpec } from '../kube-api/types.js';
import { invalidToken } from './errors.js';
import { asRecord, parseYaml, yamlError } from './yaml-values.js';

export const ACCESS_TOKEN_KIND = 'AccessToken';

export interface AccessTokenDocument {
  name: string;
  spec: AccessTokenSpec;
}

export function accessTokenYaml(token: AccessTokenDocument): string {
  const spec: AccessTokenSpec = { url: token.spec.url, code: token.spec.code, ca: token.spec.ca, ...(token.spec.linkCost === undefined ? {} : { linkCost: token.spec.linkCost }) };
  return stringify({ apiVersion: API_VERSION, kind: ACCESS_TOKEN_KIND, metadata: { name: token.name }, spec });
}

/** Parses the text of an AccessToken file; `source` names it in errors. */
export function parseAccessToken(text: string, source: string): AccessTokenDocument {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw invalidToken(source, yamlError(error));
  }
  return accessTokenOf(doc, source);
}

/** Whether a parsed YAML document says it is an AccessToken (its fields unchecked). */
export function isAccessToken(doc: unknown): boolean {
  return asRecord(doc)?.['kind'] === ACCESS_TOKEN_KIND;
}

/** Checks a parsed document field by field. */
export function accessTokenOf(doc: unknown, source: string): AccessTokenDocument {
  const object = asRecord(doc);
  if (object === undefined || object['kind'] !== ACCESS_TOKEN_KIND) throw invalidToken(source, `expected kind ${ACCESS_TOKEN_KIND}`);
  if (object['apiVersion'] !== API_VERSION) throw invalidToken(source, `apiVersion must be ${API_VERSION}, not ${JSON.stringify(object['apiVersion'] ?? null)}`);
  const name = asRecord(object['metadata'])?.['name'];
  if (typeof name !== 'string' || name === '') throw invalidToken(source, 'metadata.name is missing');
  const spec = asRecord(object['spec']);
  if (spec === undefined) throw invalidToken(source, 'spec is missing');
  const text = (field: string): string => {
    const value = spec[field];
    if (typeof value !== 'string' || value.trim() === '') throw invalidToken(source, `spec.${field} is missing`);
    return value;
  };
  const url = text('url');
  if (!URL.canParse(url) || new URL(url).protocol !== 'https:') throw invalidToken(source, `spec.url is not an https URL (${url})`);
  const code = text('code');
  const ca = text('ca');
  try {
    new X509Certificate(ca);
  } catch {
    throw invalidToken(source, 'spec.ca is not a PEM certificate (was the file edited?)');
  }
  const linkCost = spec['linkCost'];
  if (linkCost !== undefined && (typeof linkCost !== 'number' || !Number.isInteger(linkCost) || linkCost < 0)) {
    throw invalidToken(source, `spec.linkCost must be a whole number >= 0, not ${JSON.stringify(linkCost)}`);
  }
  return { name, spec: { url, code, ca, ...(linkCost === undefined ? {} : { linkCost }) } };
}
