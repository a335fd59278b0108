/**
 * What a redeemed AccessToken becomes on this site: the client-certificate Secret and the Link(s)
 * the issuing site answered with, owned by the AccessToken (ADR 0004), the token's linkCost taking
 * precedence over the cost the issuer suggested.
 */
import type { V1Secret } from '@kubernetes/client-node';
import type { Redeemed } from '../../../common/src/tokens/redeem-answer.js';
import { GENERATED_BY, TlsKey } from '../../../common/src/tokens/secret-names.js';
import { API_VERSION, type AccessToken, type Link } from '../../../common/src/kube-api/types.js';
import { siteLabels } from '../../../common/src/kube-api/names.js';
import { ownedMeta, ownerReference } from './object-meta.js';

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function redeemedObjects(token: AccessToken, site: string, redeemed: Redeemed): { secret: V1Secret; links: Link[] } {
  const namespace = token.metadata.namespace ?? '';
  const { secret } = redeemed;
  const secretMeta = ownedMeta(secret.name, namespace, site, token);
  if (secret.generatedBy !== undefined) secretMeta.annotations = { [GENERATED_BY]: secret.generatedBy };
  const tokenCost = token.spec?.linkCost ?? 0;
  return {
    secret: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: secretMeta,
      type: 'kubernetes.io/tls',
      data: { [TlsKey.cert]: b64(secret['tls.crt']), [TlsKey.key]: b64(secret['tls.key']), [TlsKey.ca]: b64(secret['ca.crt']) },
    },
    links: redeemed.links.map((link) => {
      const cost = tokenCost > 0 ? tokenCost : link.cost;
      return {
        apiVersion: API_VERSION,
        kind: 'Link',
        metadata: { name: link.name, namespace, labels: siteLabels(site), ownerReferences: [ownerReference(token)] },
        spec: {
          endpoints: link.endpoints.map((e) => ({ name: e.name, host: e.host, port: String(e.port) })),
          tlsCredentials: secret.name,
          ...(cost === undefined ? {} : { cost }),
        },
      };
    }),
  };
}
