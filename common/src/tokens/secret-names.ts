/**
 * The label and annotations of Skupper's token Secrets (reference §2.1, §2.2), as cert tokens, claim
 * tokens and the Secrets grant servers answer with carry them.
 */
export const TOKEN_TYPE_LABEL = 'skupper.io/type';
/** Label value of a cert token. */
export const CONNECTION_TOKEN = 'connection-token';
/** Site id of the site that issued a token or signed a redeemed certificate. */
export const GENERATED_BY = 'skupper.io/generated-by';
export const SITE_VERSION = 'skupper.io/site-version';

/** Annotations of a cert token naming the issuing site's endpoints and suggested link cost. */
export const CertTokenAnnotation = {
  interRouterHost: 'inter-router-host',
  interRouterPort: 'inter-router-port',
  edgeHost: 'edge-host',
  edgePort: 'edge-port',
  cost: 'skupper.io/cost',
} as const;

/** The data keys of a kubernetes.io/tls Secret with its CA. */
export const TlsKey = { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt' } as const;
