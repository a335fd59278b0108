import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createCa } from '../../common/src/pki.js';
import { accessTokenYaml, parseAccessToken } from '../../common/src/tokens/access-token.js';
import { TokenError } from '../../common/src/tokens/errors.js';

const ca = createCa('skupper-site-ca').cert;
const token = { name: 'west-grant', spec: { url: 'https://172.30.1.100:8081/0b5c4c1e-5a8e-4c8f-9b0e-0d7e3c2a1f00', code: 'a1B2c3D4e5F6g7H8i9J0k1L2', ca, linkCost: 3 } };

/** The token's YAML with one change applied to its parsed form. */
function edited(change: (doc: Record<string, Record<string, unknown>>) => void): string {
  const doc = parse(accessTokenYaml(token)) as Record<string, Record<string, unknown>>;
  change(doc);
  return stringify(doc);
}

function failure(text: string): TokenError {
  try {
    parseAccessToken(text, 'west.yaml');
  } catch (error) {
    if (error instanceof TokenError) return error;
    throw error;
  }
  throw new Error('parsed');
}

describe('AccessToken documents', () => {
  it("round-trips Skupper's shape: apiVersion, kind, metadata.name, spec {url, code, ca, linkCost}", () => {
    const text = accessTokenYaml(token);
    expect(parse(text)).toEqual({ apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'west-grant' }, spec: token.spec });
    expect(parseAccessToken(text, 'west.yaml')).toEqual(token);
  });

  it('leaves linkCost out when the token has none, and accepts a file without it', () => {
    const { linkCost: _omitted, ...spec } = token.spec;
    const text = accessTokenYaml({ name: 'x', spec });
    expect(text).not.toContain('linkCost');
    expect(parseAccessToken(text, 'x.yaml').spec).toEqual(spec);
  });

  it('names the missing or bad field, with the file, as SKIFF_ERR_TOKEN_INVALID', () => {
    const cases: [string, RegExp][] = [
      [edited((d) => delete d['spec']!['code']), /spec\.code is missing/],
      [edited((d) => delete d['spec']!['url']), /spec\.url is missing/],
      [edited((d) => (d['spec']!['url'] = 'http://172.30.1.100:8081/x')), /spec\.url is not an https URL/],
      [edited((d) => (d['spec']!['ca'] = 'not a certificate')), /spec\.ca is not a PEM certificate/],
      [edited((d) => (d['spec']!['linkCost'] = 'cheap')), /spec\.linkCost must be a whole number/],
      [edited((d) => delete d['metadata']), /metadata\.name is missing/],
      [edited((d) => delete d['spec']), /spec is missing/],
      [edited((d) => ((d as Record<string, unknown>)['apiVersion'] = 'skupper.io/v1')), /apiVersion must be skupper.io\/v2alpha1, not "skupper.io\/v1"/],
      ['kind: Secret\n', /expected kind AccessToken/],
      ['spec: [unclosed\n', /not YAML/],
    ];
    for (const [text, why] of cases) {
      const error = failure(text);
      expect(error.code).toBe('SKIFF_ERR_TOKEN_INVALID');
      expect(error.message).toMatch(/^west\.yaml is not a usable token: /);
      expect(error.message).toMatch(why);
      expect(error.hint).toMatch(/new token/);
    }
  });
});

describe('AccessToken files - the YAML library stays quiet', () => {
  it('a file with odd YAML (an unknown tag, a collection as key) gets one clear error and no process warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      expect(() => parseAccessToken('!odd\n? [a]\n: b\n', 'odd.yaml')).toThrow(TokenError);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});
