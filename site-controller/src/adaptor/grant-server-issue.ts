/**
 * What a successful redemption hands out: a client certificate for the redeemer signed by the site
 * CA, and a Link to this site's inter-router and edge endpoints (reference §7.3, ADR 0004).
 * `readIssuer` gathers what that needs before a redemption is counted, so a site that is not ready
 * answers 503 without spending the grant.
 */
import type { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { issueCertificate, type KeyPairPem } from '../../../common/src/pki.js';
import { redeemAnswerYaml, type RedeemedEndpoint } from '../../../common/src/tokens/redeem-answer.js';
import { TlsKey } from '../../../common/src/tokens/secret-names.js';
import { SiteCaSecret } from '../../../common/src/kube-api/names.js';
import { GROUP, Plural, VERSION, type Site } from '../../../common/src/kube-api/types.js';
import { caFromSecret } from '../desired/site-certs.js';

export interface Issuer {
  ca: KeyPairPem;
  endpoints: RedeemedEndpoint[];
}

/** Why the site cannot issue yet; answered as 503. */
export class NotReady extends Error {
  override readonly name = 'NotReady';
}

export async function readIssuer(core: CoreV1Api, custom: CustomObjectsApi, namespace: string, siteName: string): Promise<Issuer> {
  const site = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.Site, name: siteName })) as Site;
  const endpoints = linkEndpoints(site);
  if (endpoints.length === 0) throw new NotReady(`Site ${siteName} has no inter-router or edge endpoint in status.endpoints yet`);
  const ca = caFromSecret(await core.readNamespacedSecret({ name: SiteCaSecret, namespace }));
  if (ca === undefined) throw new NotReady(`Secret ${SiteCaSecret} has no ${TlsKey.cert} or ${TlsKey.key}`);
  return { ca, endpoints };
}

function linkEndpoints(site: Site): RedeemedEndpoint[] {
  const endpoints: RedeemedEndpoint[] = [];
  for (const e of site.status?.endpoints ?? []) {
    const port = Number(e.port);
    if ((e.name === 'inter-router' || e.name === 'edge') && e.host !== undefined && e.host !== '' && Number.isInteger(port) && port > 0) {
      endpoints.push({ name: e.name, host: e.host, port });
    }
  }
  return endpoints;
}

/** The 200 answer: the Secret (named `name`, CN `subject`) and one Link of the same name. */
export function issueAnswer(issuer: Issuer, name: string, subject: string, siteUid: string): string {
  const pair = issueCertificate(issuer.ca, { commonName: subject, usage: 'client' });
  return redeemAnswerYaml({
    secret: { name, 'tls.crt': pair.cert, 'tls.key': pair.key, 'ca.crt': issuer.ca.cert, generatedBy: siteUid },
    links: [{ name, endpoints: issuer.endpoints, cost: 1 }],
  });
}
