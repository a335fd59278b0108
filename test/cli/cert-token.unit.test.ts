import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCa, issueCertificate } from '../../common/src/pki.js';
import { CliError } from '../../cli/src/errors.js';
import { certTokenYaml, parseCertToken, type CertToken } from '../../cli/src/tokens/cert-token.js';

const ca = createCa('site-ca');
const client = issueCertificate(ca, { commonName: 'skupper', usage: 'client' });
const token: CertToken = {
  name: 'skupper',
  generatedBy: '3f2a-site',
  siteVersion: '0.1.0',
  interRouter: { host: '127.0.0.1', port: 55671 },
  edge: { host: '127.0.0.1', port: 45671 },
  cert: client.cert,
  key: client.key,
  ca: ca.cert,
};

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof CliError ? `${error.code}/${error.exitCode}` : `not a CliError: ${String(error)}`;
  }
  return 'no error';
}

describe('cert token - Skupper file shape', () => {
  it('writes a kubernetes.io/tls Secret labelled connection-token with the endpoint annotations', () => {
    const doc = parse(certTokenYaml(token)) as {
      kind: string;
      type: string;
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      data: Record<string, string>;
    };
    expect(doc.kind).toBe('Secret');
    expect(doc.type).toBe('kubernetes.io/tls');
    expect(doc.metadata.labels).toEqual({ 'skupper.io/type': 'connection-token' });
    expect(doc.metadata.annotations).toMatchObject({
      'inter-router-host': '127.0.0.1',
      'inter-router-port': '55671',
      'edge-host': '127.0.0.1',
      'edge-port': '45671',
      'skupper.io/generated-by': '3f2a-site',
    });
    expect(Object.keys(doc.data).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    expect(Buffer.from(doc.data['ca.crt']!, 'base64').toString()).toBe(ca.cert);
  });

  it('reads back what it writes', () => {
    expect(parseCertToken(certTokenYaml({ ...token, cost: 4 }), 't.yaml')).toEqual({ ...token, cost: 4 });
  });

  it('refuses anything but a complete cert token', () => {
    const claim = 'kind: Secret\nmetadata:\n  labels:\n    skupper.io/type: token-claim\n';
    expect(codeOf(() => parseCertToken(claim, 'c.yaml'))).toBe('SKIFF_ERR_TOKEN_INVALID/2');
    expect(codeOf(() => parseCertToken('{{{', 'x.yaml'))).toBe('SKIFF_ERR_TOKEN_INVALID/2');
    expect(codeOf(() => parseCertToken('kind: ConfigMap\n', 'x.yaml'))).toBe('SKIFF_ERR_TOKEN_INVALID/2');
    const noPort = certTokenYaml(token).replace(/inter-router-port: "?55671"?/, 'inter-router-port: "nope"');
    expect(codeOf(() => parseCertToken(noPort, 'x.yaml'))).toBe('SKIFF_ERR_TOKEN_INVALID/2');
  });
});
