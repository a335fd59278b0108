/**
 * What `link create` makes on a Kubernetes site from a token file (ADR 0004): an AccessToken file
 * becomes the AccessToken as is; a v1 claim token becomes an AccessToken (url, code = its password,
 * ca); a v1 cert token becomes its Secret plus a Link to the issuing site's endpoints. The
 * controller redeems AccessTokens and turns Links into router connectors.
 */
import { GENERATED_BY, TlsKey } from '../../../../common/src/tokens/secret-names.js';
import { API_VERSION, type AccessToken, type Link } from '../../../../common/src/kube-api/types.js';
import type { TokenFile } from '../../tokens/token-file.js';
import { cliLabels } from './kube-site.js';

export interface TlsSecret {
  apiVersion: 'v1';
  kind: 'Secret';
  type: 'kubernetes.io/tls';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  data: Record<string, string>;
}

export type LinkObjects = { kind: 'AccessToken'; accessToken: AccessToken; url: string } | { kind: 'Link'; secret: TlsSecret; link: Link; url: string };

export interface LinkNaming {
  /** `--name`. */
  name?: string;
  /** `--cost`. */
  cost?: number;
  /** A free `linkN`, for cert tokens (their own names are rarely unique). */
  nextLinkName: string;
}

export function linkObjects(token: TokenFile, naming: LinkNaming): LinkObjects {
  const labels = { ...cliLabels };
  if (token.kind === 'access' || token.kind === 'claim') {
    const name = naming.name ?? token.token.name;
    const spec = token.kind === 'access' ? token.token.spec : { url: token.token.url, code: token.token.password, ca: token.token.ca };
    const linkCost = naming.cost ?? (token.kind === 'access' ? token.token.spec.linkCost : undefined);
    const accessToken: AccessToken = {
      apiVersion: API_VERSION,
      kind: 'AccessToken',
      metadata: { name, labels },
      spec: { url: spec.url, code: spec.code, ca: spec.ca, ...(linkCost === undefined ? {} : { linkCost }) },
    };
    return { kind: 'AccessToken', accessToken, url: spec.url };
  }
  const cert = token.token;
  const name = naming.name ?? naming.nextLinkName;
  const secret: TlsSecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name, labels, annotations: { [GENERATED_BY]: cert.generatedBy } },
    data: { [TlsKey.cert]: base64(cert.cert), [TlsKey.key]: base64(cert.key), [TlsKey.ca]: base64(cert.ca) },
  };
  const cost = naming.cost ?? cert.cost;
  const link: Link = {
    apiVersion: API_VERSION,
    kind: 'Link',
    metadata: { name, labels, annotations: { [GENERATED_BY]: cert.generatedBy } },
    spec: {
      endpoints: [
        { name: 'inter-router', host: cert.interRouter.host, port: String(cert.interRouter.port) },
        { name: 'edge', host: cert.edge.host, port: String(cert.edge.port) },
      ],
      tlsCredentials: name,
      ...(cost === undefined ? {} : { cost }),
    },
  };
  return { kind: 'Link', secret, link, url: `${cert.interRouter.host}:${cert.interRouter.port}` };
}

/** The issuing site's id, when the token says it (v1 tokens do; AccessTokens do not). */
export function issuingSite(token: TokenFile): string | undefined {
  return token.kind === 'access' ? undefined : token.token.generatedBy;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

