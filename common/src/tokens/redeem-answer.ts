/**
 * What a redemption yields, whoever answered: a v2 grant server's YAML stream (a kubernetes.io/tls
 * Secret, then one or more Links) or a v1 claims server's cert token (one Secret whose annotations
 * name the endpoints). Both become one `Redeemed`, which a local site turns into its link record
 * and a Kubernetes site into its Secret and Link objects.
 */
import { X509Certificate } from 'node:crypto';
import { parseAllDocuments, stringify } from 'yaml';
import { API_VERSION } from '../kube-api/types.js';
import { TokenError, TokenErrorCode } from './errors.js';
import { CertTokenAnnotation, CONNECTION_TOKEN, GENERATED_BY, TlsKey, TOKEN_TYPE_LABEL } from './secret-names.js';
import { asRecord } from './yaml-values.js';

export type EndpointRole = 'inter-router' | 'edge';

export interface RedeemedEndpoint {
  name: EndpointRole;
  host: string;
  port: number;
}

export interface RedeemedLink {
  name: string;
  endpoints: RedeemedEndpoint[];
  cost?: number;
}

export interface RedeemedSecret {
  name: string;
  'tls.crt': string;
  'tls.key': string;
  'ca.crt': string;
  /** Site id of the issuing site (`skupper.io/generated-by`), when it says. */
  generatedBy?: string;
}

export interface Redeemed {
  secret: RedeemedSecret;
  links: RedeemedLink[];
}

const ROLES: readonly string[] = ['inter-router', 'edge'] satisfies EndpointRole[];

/** Reads a server's answer; `source` (the URL redeemed) names it in errors. */
export function parseRedeemAnswer(text: string, source: string): Redeemed {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw badAnswer(source, 'it is empty');
  const objects: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw badAnswer(source, `not YAML (${doc.errors[0]?.message.split('\n')[0] ?? ''})`);
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (error) {
      // An alias without its anchor (`*a`) parses but cannot be resolved.
      throw badAnswer(source, `not YAML (${(error as Error).message})`);
    }
    if (value !== null && value !== undefined) objects.push(value);
  }
  const first = asRecord(objects[0]);
  if (first?.['kind'] !== 'Secret') throw badAnswer(source, 'it does not start with a Secret');
  const metadata = asRecord(first['metadata']) ?? {};
  const labels = asRecord(metadata['labels']) ?? {};
  const annotations = asRecord(metadata['annotations']) ?? {};
  const secret = secretOf(first, metadata, annotations, source);
  if (labels[TOKEN_TYPE_LABEL] === CONNECTION_TOKEN) return { secret, links: [certTokenLink(secret.name, annotations, source)] };
  const links = objects.slice(1).map((object, i) => linkOf(object, i + 2, source));
  if (links.length === 0) throw badAnswer(source, 'no Link follows the Secret');
  return { secret, links };
}

/** The YAML stream a grant server answers with (what parseRedeemAnswer reads back). */
export function redeemAnswerYaml(redeemed: Redeemed): string {
  const { secret } = redeemed;
  const secretDoc = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: secret.name, ...(secret.generatedBy === undefined ? {} : { annotations: { [GENERATED_BY]: secret.generatedBy } }) },
    data: Object.fromEntries(Object.values(TlsKey).map((key) => [key, Buffer.from(secret[key]).toString('base64')])),
  };
  const linkDocs = redeemed.links.map((link) => ({
    apiVersion: API_VERSION,
    kind: 'Link',
    metadata: { name: link.name },
    spec: {
      endpoints: link.endpoints.map((e) => ({ name: e.name, host: e.host, port: String(e.port) })),
      tlsCredentials: secret.name,
      ...(link.cost === undefined ? {} : { cost: link.cost }),
    },
  }));
  return [secretDoc, ...linkDocs].map((doc) => `---\n${stringify(doc)}`).join('');
}

function secretOf(object: Record<string, unknown>, metadata: Record<string, unknown>, annotations: Record<string, unknown>, source: string): RedeemedSecret {
  const name = metadata['name'];
  if (typeof name !== 'string' || name === '') throw badAnswer(source, 'the Secret has no metadata.name');
  const data = asRecord(object['data']) ?? {};
  const field = (key: string): string => {
    const value = data[key];
    if (typeof value !== 'string' || value === '') throw badAnswer(source, `the Secret has no data.${key}`);
    return Buffer.from(value, 'base64').toString('utf8');
  };
  const secret: RedeemedSecret = { name, 'tls.crt': field(TlsKey.cert), 'tls.key': field(TlsKey.key), 'ca.crt': field(TlsKey.ca) };
  for (const key of [TlsKey.cert, TlsKey.ca]) {
    try {
      new X509Certificate(secret[key]);
    } catch {
      throw badAnswer(source, `the Secret's data.${key} is not a PEM certificate`);
    }
  }
  const generatedBy = annotations[GENERATED_BY];
  return typeof generatedBy === 'string' && generatedBy !== '' ? { ...secret, generatedBy } : secret;
}

function certTokenLink(name: string, annotations: Record<string, unknown>, source: string): RedeemedLink {
  const endpoint = (role: EndpointRole, hostKey: string, portKey: string): RedeemedEndpoint => {
    const host = annotations[hostKey];
    if (typeof host !== 'string' || host === '') throw badAnswer(source, `annotation ${hostKey} is missing`);
    return { name: role, host, port: portOf(annotations[portKey], `annotation ${portKey}`, source) };
  };
  const A = CertTokenAnnotation;
  const cost = Number(annotations[A.cost]);
  return {
    name,
    endpoints: [endpoint('inter-router', A.interRouterHost, A.interRouterPort), endpoint('edge', A.edgeHost, A.edgePort)],
    ...(Number.isInteger(cost) && cost > 0 ? { cost } : {}),
  };
}

function linkOf(object: unknown, position: number, source: string): RedeemedLink {
  const link = asRecord(object);
  if (link?.['kind'] !== 'Link') throw badAnswer(source, `document ${position} is not a Link`);
  const name = asRecord(link['metadata'])?.['name'];
  if (typeof name !== 'string' || name === '') throw badAnswer(source, `the Link (document ${position}) has no metadata.name`);
  const spec = asRecord(link['spec']) ?? {};
  const listed = Array.isArray(spec['endpoints']) ? (spec['endpoints'] as unknown[]) : [];
  const endpoints: RedeemedEndpoint[] = [];
  for (const entry of listed.map(asRecord)) {
    const role = entry?.['name'];
    const host = entry?.['host'];
    // Endpoints of other roles (none today) are not for links: skipped, not refused.
    if (typeof role !== 'string' || !ROLES.includes(role)) continue;
    if (typeof host !== 'string' || host === '') throw badAnswer(source, `Link ${name}: the ${role} endpoint has no host`);
    endpoints.push({ name: role as EndpointRole, host, port: portOf(entry?.['port'], `Link ${name}: the ${role} endpoint's port`, source) });
  }
  if (endpoints.length === 0) throw badAnswer(source, `Link ${name} has no inter-router or edge endpoint`);
  const cost = spec['cost'];
  return { name, endpoints, ...(typeof cost === 'number' && Number.isInteger(cost) && cost > 0 ? { cost } : {}) };
}

function portOf(value: unknown, what: string, source: string): number {
  const port = Number(value);
  if ((typeof value !== 'string' && typeof value !== 'number') || !Number.isInteger(port) || port < 1 || port > 65535) throw badAnswer(source, `${what} is not a port`);
  return port;
}

function badAnswer(source: string, why: string): TokenError {
  return new TokenError(TokenErrorCode.redeem, `the answer from ${source} is not a usable token: ${why}`, 'the issuing site may run an incompatible version: check its version and logs, then ask for a new token');
}
