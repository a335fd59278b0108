import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { createCa, issueCertificate } from '../../common/src/pki.js';
import { TokenError } from '../../common/src/tokens/errors.js';
import { parseRedeemAnswer, redeemAnswerYaml, type Redeemed } from '../../common/src/tokens/redeem-answer.js';
import { certTokenYaml } from '../../cli/src/tokens/cert-token.js';

const ca = createCa('skupper-site-ca');
const client = issueCertificate(ca, { commonName: 'east-site-id', usage: 'client' });
const url = 'https://172.30.1.100:8081/uid';

const redeemed: Redeemed = {
  secret: { name: 'link1', 'tls.crt': client.cert, 'tls.key': client.key, 'ca.crt': ca.cert, generatedBy: 'west-uid' },
  links: [{ name: 'link1', endpoints: [{ name: 'inter-router', host: '172.30.1.100', port: 55671 }, { name: 'edge', host: '172.30.1.100', port: 45671 }], cost: 1 }],
};

function failure(text: string): TokenError {
  try {
    parseRedeemAnswer(text, url);
  } catch (error) {
    if (error instanceof TokenError) return error;
    throw error;
  }
  throw new Error('parsed');
}

describe('redeem answers - v2 grant streams and v1 cert tokens', () => {
  it("writes a v2 answer as Skupper's: a kubernetes.io/tls Secret then a Link naming it", () => {
    const docs = parseAllDocuments(redeemAnswerYaml(redeemed)).map((d) => d.toJS() as Record<string, unknown>);
    expect(docs.map((d) => [d['apiVersion'], d['kind']])).toEqual([['v1', 'Secret'], ['skupper.io/v2alpha1', 'Link']]);
    expect(docs[0]).toMatchObject({ type: 'kubernetes.io/tls', metadata: { name: 'link1', annotations: { 'skupper.io/generated-by': 'west-uid' } } });
    expect(docs[1]).toMatchObject({ spec: { tlsCredentials: 'link1', cost: 1, endpoints: [{ name: 'inter-router', host: '172.30.1.100', port: '55671' }, { name: 'edge', port: '45671' }] } });
  });

  it('reads a v2 answer back as it was written', () => {
    expect(parseRedeemAnswer(redeemAnswerYaml(redeemed), url)).toEqual(redeemed);
  });

  it('reads several Links (one per endpoint group) and skips endpoints of other roles', () => {
    const text = redeemAnswerYaml({ ...redeemed, links: [...redeemed.links, { name: 'link1-1', endpoints: [{ name: 'inter-router', host: 'b.example', port: 443 }] }] });
    const docs = parseAllDocuments(text).map((d) => d.toJS() as { spec?: { endpoints: object[] } });
    docs[1]?.spec?.endpoints.splice(1, 0, { name: 'grant', host: 'x', port: '8081' });
    const read = parseRedeemAnswer(docs.map((d) => `---\n${stringify(d)}`).join(''), url);
    expect(read.links.map((l) => l.name)).toEqual(['link1', 'link1-1']);
    expect(read.links[0]?.endpoints.map((e) => e.name)).toEqual(['inter-router', 'edge']);
  });

  it("reads a local site's cert token into the same shape", () => {
    const text = certTokenYaml({ name: 'east-id', generatedBy: 'west-id', siteVersion: '0.1.0', interRouter: { host: '10.0.0.1', port: 55671 }, edge: { host: '10.0.0.1', port: 45671 }, cost: 4, cert: client.cert, key: client.key, ca: ca.cert });
    expect(parseRedeemAnswer(text, url)).toEqual({
      secret: { name: 'east-id', 'tls.crt': client.cert, 'tls.key': client.key, 'ca.crt': ca.cert, generatedBy: 'west-id' },
      links: [{ name: 'east-id', endpoints: [{ name: 'inter-router', host: '10.0.0.1', port: 55671 }, { name: 'edge', host: '10.0.0.1', port: 45671 }], cost: 4 }],
    });
  });

  it('refuses an answer that is not a token, saying what is wrong, as SKIFF_ERR_CLAIM_REDEEM', () => {
    const secretOnly = redeemAnswerYaml({ ...redeemed, links: [] });
    const noEndpoints = redeemAnswerYaml({ ...redeemed, links: [{ name: 'link1', endpoints: [] }] });
    const badCa = redeemAnswerYaml({ ...redeemed, secret: { ...redeemed.secret, 'ca.crt': 'junk' } });
    const cases: [string, RegExp][] = [
      ['', /does not start with a Secret/],
      ['<html>Not found</html>', /does not start with a Secret/],
      ['a: [', /not YAML/],
      [secretOnly, /no Link follows the Secret/],
      [noEndpoints, /Link link1 has no inter-router or edge endpoint/],
      [badCa, /data\.ca\.crt is not a PEM certificate/],
      [redeemAnswerYaml(redeemed).replace("port: \"55671\"", 'port: "0"'), /inter-router endpoint's port is not a port/],
    ];
    for (const [text, why] of cases) {
      const error = failure(text);
      expect(error.code).toBe('SKIFF_ERR_CLAIM_REDEEM');
      expect(error.message).toMatch(new RegExp(`^the answer from ${url.replace(/\./g, '\\.')} is not a usable token: `));
      expect(error.message).toMatch(why);
    }
    expect(parse('{}')).toEqual({});
  });
});
