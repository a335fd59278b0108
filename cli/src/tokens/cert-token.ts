/**
 * Cert tokens in Skupper's file shape (reference §2.1): a kubernetes.io/tls Secret labelled
 * `skupper.io/type: connection-token` whose annotations name the issuing site and its endpoints and
 * whose data holds a client certificate, its key and the issuing site's CA, base64-encoded.
 */
import { X509Certificate } from 'node:crypto';
import { stringify } from 'yaml';
import { CertTokenAnnotation, CONNECTION_TOKEN } from '../../../common/src/tokens/secret-names.js';
import { base64, GENERATED_BY, SecretDocument, SITE_VERSION, TOKEN_TYPE_LABEL } from './secret-document.js';

export { CONNECTION_TOKEN };
const COST = CertTokenAnnotation.cost;

export interface Endpoint {
  host: string;
  port: number;
}

export interface CertToken {
  name: string;
  /** Site id of the issuing site. */
  generatedBy: string;
  siteVersion: string;
  interRouter: Endpoint;
  edge: Endpoint;
  /** Link cost the issuer suggests (`skupper.io/cost`), used when link create has no --cost. */
  cost?: number;
  cert: string;
  key: string;
  ca: string;
}

export function certTokenYaml(token: CertToken): string {
  const annotations: Record<string, string> = {
    'inter-router-host': token.interRouter.host,
    'inter-router-port': String(token.interRouter.port),
    'edge-host': token.edge.host,
    'edge-port': String(token.edge.port),
    [SITE_VERSION]: token.siteVersion,
    [GENERATED_BY]: token.generatedBy,
  };
  if (token.cost !== undefined) annotations[COST] = String(token.cost);
  return stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: token.name, labels: { [TOKEN_TYPE_LABEL]: CONNECTION_TOKEN }, annotations },
    data: { 'ca.crt': base64(token.ca), 'tls.crt': base64(token.cert), 'tls.key': base64(token.key) },
  });
}

export function certTokenOf(doc: SecretDocument): CertToken {
  if (doc.type !== CONNECTION_TOKEN) throw doc.invalid(`expected the label ${TOKEN_TYPE_LABEL}: ${CONNECTION_TOKEN}`);
  const cost = Number(doc.optionalAnnotation(COST));
  return {
    name: doc.name ?? 'skupper',
    generatedBy: doc.annotation(GENERATED_BY),
    siteVersion: doc.optionalAnnotation(SITE_VERSION) ?? 'unknown',
    interRouter: { host: doc.annotation('inter-router-host'), port: doc.port('inter-router-port') },
    edge: { host: doc.annotation('edge-host'), port: doc.port('edge-port') },
    ...(Number.isInteger(cost) && cost > 0 ? { cost } : {}),
    cert: doc.certificate('tls.crt'),
    key: doc.text('tls.key'),
    ca: doc.certificate('ca.crt'),
  };
}

export function parseCertToken(text: string, file: string): CertToken {
  return certTokenOf(SecretDocument.parse(text, file));
}

/**
 * Whether the token's CA signed its client certificate. The issuing site signs both with one CA, so
 * a mismatch means the file was edited, and the link would only fail later in a TLS handshake.
 */
export function signedByTokenCa(token: CertToken): boolean {
  return new X509Certificate(token.cert).checkIssued(new X509Certificate(token.ca));
}
