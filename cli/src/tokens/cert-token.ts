/**
 * Cert tokens in Skupper's file shape (reference §2.1): a kubernetes.io/tls Secret labelled
 * `skupper.io/type: connection-token` whose annotations name the issuing site and its endpoints and
 * whose data holds a client certificate, its key and the issuing site's CA, base64-encoded.
 */
import { parse, stringify } from 'yaml';
import { CliError, ErrorCode, ExitCode } from '../errors.js';

export const TOKEN_TYPE_LABEL = 'skupper.io/type';
export const CONNECTION_TOKEN = 'connection-token';
export const TOKEN_CLAIM = 'token-claim';

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
    'skupper.io/site-version': token.siteVersion,
    'skupper.io/generated-by': token.generatedBy,
  };
  if (token.cost !== undefined) annotations['skupper.io/cost'] = String(token.cost);
  return stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: token.name, labels: { [TOKEN_TYPE_LABEL]: CONNECTION_TOKEN }, annotations },
    data: { 'ca.crt': base64(token.ca), 'tls.crt': base64(token.cert), 'tls.key': base64(token.key) },
  });
}

/** Parses a cert token; anything else (claims included) is reported with what is wrong. */
export function parseCertToken(text: string, file: string): CertToken {
  const invalid = (why: string): CliError =>
    new CliError(ExitCode.usage, ErrorCode.SKIFF_ERR_TOKEN_INVALID, `${file} is not a usable token: ${why}`, "make a new one on the other site with 'skiff token create FILE'");
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw invalid(`not YAML (${(error as Error).message.split('\n')[0] ?? ''})`);
  }
  const secret = record(doc);
  const metadata = record(secret.metadata);
  const labels = record(metadata.labels);
  const annotations = record(metadata.annotations);
  const data = record(secret.data);
  const type = labels[TOKEN_TYPE_LABEL];
  if (type === TOKEN_CLAIM) {
    throw new CliError(ExitCode.unsupported, ErrorCode.SKIFF_ERR_TOKEN_TYPE_UNSUPPORTED, `${file} is a claim token; redeeming claims is not implemented yet`, "ask for a cert token: 'skiff token create FILE --token-type cert'");
  }
  if (secret.kind !== 'Secret' || type !== CONNECTION_TOKEN) throw invalid(`expected a Secret labelled ${TOKEN_TYPE_LABEL}: ${CONNECTION_TOKEN}`);
  const text64 = (key: string): string => {
    const value = data[key];
    if (typeof value !== 'string' || value === '') throw invalid(`data.${key} is missing`);
    return Buffer.from(value, 'base64').toString('utf8');
  };
  const annotation = (key: string): string => {
    const value = annotations[key];
    if (typeof value !== 'string' || value === '') throw invalid(`annotation ${key} is missing`);
    return value;
  };
  const port = (key: string): number => {
    const value = Number(annotation(key));
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw invalid(`annotation ${key} is not a port`);
    return value;
  };
  const cost = annotations['skupper.io/cost'];
  return {
    name: typeof metadata.name === 'string' ? metadata.name : 'skupper',
    generatedBy: annotation('skupper.io/generated-by'),
    siteVersion: typeof annotations['skupper.io/site-version'] === 'string' ? annotations['skupper.io/site-version'] : 'unknown',
    interRouter: { host: annotation('inter-router-host'), port: port('inter-router-port') },
    edge: { host: annotation('edge-host'), port: port('edge-port') },
    ...(typeof cost === 'string' && Number.isInteger(Number(cost)) ? { cost: Number(cost) } : {}),
    cert: text64('tls.crt'),
    key: text64('tls.key'),
    ca: text64('ca.crt'),
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
