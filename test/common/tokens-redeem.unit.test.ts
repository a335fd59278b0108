/**
 * The redemption client against real HTTPS servers on 127.0.0.1: what it sends, what it accepts,
 * and that it trusts only the token's CA for the URL's own host (an IP address needs an IP SAN).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCa, issueCertificate, type KeyPairPem } from '../../common/src/pki.js';
import { redeemAnswerYaml, type Redeemed } from '../../common/src/tokens/redeem-answer.js';
import { redeemAccessToken } from '../../common/src/tokens/redeem.js';
import { tokenFailure } from '../support/token-failure.js';

const ca = createCa('skupper-site-ca');
const serverWithIp = issueCertificate(ca, { commonName: 'skupper-router', hosts: ['skupper-router', '127.0.0.1'], usage: 'server' });
const serverWithoutIp = issueCertificate(ca, { commonName: 'skupper-router', hosts: ['skupper-router'], usage: 'server' });
const client = issueCertificate(ca, { commonName: 'east-id', usage: 'client' });
const answer: Redeemed = {
  secret: { name: 'to-west', 'tls.crt': client.cert, 'tls.key': client.key, 'ca.crt': ca.cert, generatedBy: 'west-uid' },
  links: [{ name: 'to-west', endpoints: [{ name: 'inter-router', host: '172.30.1.100', port: 55671 }], cost: 1 }],
};

interface Seen {
  method?: string;
  url?: string;
  headers?: IncomingHttpHeaders;
  body?: string;
}

let server: Server | undefined;

afterEach(async () => {
  const running = server;
  server = undefined;
  if (running === undefined) return;
  running.closeAllConnections();
  await new Promise((done) => running.close(done));
});

/** Serves `status` + `body` (or nothing at all when status is 0) and records the request. */
async function serve(pair: KeyPairPem, status: number, body: string, seen: Seen = {}): Promise<string> {
  server = createServer({ cert: pair.cert, key: pair.key }, (request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      Object.assign(seen, { method: request.method, url: request.url, headers: request.headers, body: text });
      if (status !== 0) response.writeHead(status).end(body);
    });
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/0b5c4c1e`;
}


describe('redeemAccessToken - over HTTPS', () => {
  it('POSTs the code with name, subject and skupper-site-name, and reads the answer', async () => {
    const seen: Seen = {};
    const url = await serve(serverWithIp, 200, redeemAnswerYaml(answer), seen);
    const redeemed = await redeemAccessToken({ url, code: 'the-code', ca: ca.cert }, { name: 'to-west', subject: 'east-id', version: '0.1.0' });
    expect(redeemed).toEqual(answer);
    expect(seen).toMatchObject({ method: 'POST', url: '/0b5c4c1e?site-version=0.1.0', body: 'the-code', headers: { name: 'to-west', subject: 'east-id', 'skupper-site-name': 'east-id' } });
  });

  it("turns a refusal into a TokenError with the server's status and text", async () => {
    const url = await serve(serverWithIp, 404, 'No such access granted');
    const error = await tokenFailure(redeemAccessToken({ url, code: 'c', ca: ca.cert }, { name: 'n', subject: 's' }));
    expect([error.code, error.status, error.serverMessage]).toEqual(['SKIFF_ERR_CLAIM_USED_UP', 404, 'No such access granted']);
  });

  it("refuses a server whose certificate does not name the URL's IP address", async () => {
    const url = await serve(serverWithoutIp, 200, redeemAnswerYaml(answer));
    const error = await tokenFailure(redeemAccessToken({ url, code: 'c', ca: ca.cert }, { name: 'n', subject: 's' }));
    expect(error.code).toBe('SKIFF_ERR_CLAIM_TLS');
    expect(error.message).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
  });

  it("refuses a server the token's CA did not sign", async () => {
    const url = await serve(serverWithIp, 200, redeemAnswerYaml(answer));
    const error = await tokenFailure(redeemAccessToken({ url, code: 'c', ca: createCa('another-ca').cert }, { name: 'n', subject: 's' }));
    expect(error.code).toBe('SKIFF_ERR_CLAIM_TLS');
  });

  it('says the server is unreachable when nothing listens, or when it never answers', async () => {
    const url = await serve(serverWithIp, 0, '');
    const silent = await tokenFailure(redeemAccessToken({ url, code: 'c', ca: ca.cert }, { name: 'n', subject: 's', timeoutMs: 300 }));
    expect([silent.code, silent.message]).toEqual(['SKIFF_ERR_CLAIMS_UNREACHABLE', `no answer from ${url} within 0.3 s`]);
    const running = server;
    server = undefined;
    running?.closeAllConnections();
    await new Promise((done) => running?.close(done));
    const refused = await tokenFailure(redeemAccessToken({ url, code: 'c', ca: ca.cert }, { name: 'n', subject: 's' }));
    expect([refused.code, refused.message]).toEqual(['SKIFF_ERR_CLAIMS_UNREACHABLE', `cannot reach ${url} (ECONNREFUSED)`]);
  });
});
