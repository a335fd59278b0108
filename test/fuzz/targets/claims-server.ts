/**
 * The claims server's requests, to the server's own request listener over one kept-alive HTTP
 * connection on 127.0.0.1 (TLS is Node's, and a handshake per input cost most of the time): method, claim name in the path,
 * the redeemer's headers and the password body, against a claim record file that is itself
 * mutated (a record a crash or an edit left behind). Every request gets one of the answers the
 * protocol names; a redemption that succeeds answers a cert token the redeemer can read.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, validateHeaderValue, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import fc from 'fast-check';
import { parseRedeemAnswer } from '../../../common/src/tokens/redeem-answer.js';
import { claimsRequestListener } from '../../../cli/src/claims/claims-server.js';
import { createSiteCertificates } from '../../../cli/src/site/site-certs.js';
import { SitePaths } from '../../../cli/src/site/site-paths.js';
import type { SiteState } from '../../../cli/src/site/site-state.js';
import type { FuzzTarget } from '../harness.js';
import { mutatedDocuments, type Json } from '../mutate.js';
import { scratchDir } from '../scratch-dir.js';

const CLAIM = 'fuzz-claim';
const PASSWORD = 'right-password';
const RECORD: Json = { name: CLAIM, password: PASSWORD, expiration: '2099-01-01T00:00:00Z', remaining: 1000, made: 0 };

interface Input {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  record: string;
}

const header = fc.oneof(fc.constantFrom('site-b', '', 'x'.repeat(70), 'UPPER', '../etc'), fc.string({ maxLength: 12 })).filter((v) => {
  try {
    validateHeaderValue('x', v);
    return true;
  } catch {
    return false;
  }
});

const input: fc.Arbitrary<Input> = fc.record({
  method: fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'OPTIONS') }),
  path: fc.oneof(
    { weight: 6, arbitrary: fc.constant(`/${CLAIM}`) },
    { weight: 2, arbitrary: fc.constantFrom('/', '//', `/${CLAIM}/x`, `/../${CLAIM}`, `/%2e%2e%2f${CLAIM}`, `/${CLAIM}?site-version=1.0`, '/00000000-0000-0000-0000-000000000000', '/a%00b', `/${'a'.repeat(300)}`) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'abc-_.~%/?#0123456789'), maxLength: 20 }).map((p) => `/${encodeURI(p)}`) },
  ),
  headers: fc.record({ subject: header, name: header, 'skupper-site-name': header }, { requiredKeys: [] }),
  // The right password rarely: each redemption makes an RSA key (about 100 ms), and one body in 301
  // still redeems about a thousand times in a 10^6 run.
  body: fc.oneof(
    { weight: 1, arbitrary: fc.constant(PASSWORD) },
    { weight: 300, arbitrary: fc.oneof(fc.constantFrom('', PASSWORD.slice(1), `${PASSWORD}x`, 'x'.repeat(5000)), fc.string({ maxLength: 40 })) },
  ),
  // Mostly the record as `token create` writes it (so the password check is reached), else edited.
  record: fc.oneof({ weight: 6, arbitrary: fc.constant(JSON.stringify(RECORD)) }, { weight: 4, arbitrary: mutatedDocuments([RECORD], (doc) => JSON.stringify(doc), ['name', 'password', 'expiration', 'remaining', 'made']) }),
});

/** The answers the claims server may give (reference §2.3, plus Skiff's used-up and 405/400). */
const ANSWERS: Record<number, readonly string[]> = {
  400: ['Unreadable request'],
  403: ['Claim refused'],
  404: ['No such claim', 'Claim expired', 'Claim used up'],
  405: ['Method not allowed'],
  500: ['Corrupted claim'],
};

let server: Server | undefined;
let agent: Agent | undefined;
let paths: SitePaths | undefined;

/** Sends one request; a kept-alive socket the server has since closed is retried once on a new one. */
function send(port: number, i: Input, fresh = false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: i.method, path: i.path, headers: i.headers, agent: fresh ? false : agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', (error) => (req.reusedSocket && !fresh ? send(port, i, true).then(resolve, reject) : reject(error)));
    req.end(i.body);
  });
}

/** The server cuts a body past 4 KiB off by closing the connection: no answer is the refusal. */
const MAX_BODY = 4096;

export const claimsServerTarget: FuzzTarget<Input> = {
  name: 'claims-server',
  about: 'claims server request listener over kept-alive HTTP: every request (and claim record file) gets an answer the protocol names; a success is a readable cert token',
  input,
  // A redemption makes an RSA key and signs with node-forge: 7.9 s once in a nice'd run on 2 busy cores.
  budgetMs: 30_000,
  async setup() {
    const dir = scratchDir('skiff-fuzz-claims-');
    paths = new SitePaths(dir);
    // The site CA signs the link certificate of a redemption; no server certificate without TLS.
    createSiteCertificates(paths, null);
    mkdirSync(dirname(paths.claim(CLAIM)), { recursive: true });
    const state = { id: 'fuzz-site', ingressHost: '127.0.0.1', ports: { interRouter: 55671, edge: 45671 } } as SiteState;
    const started = createServer(claimsRequestListener({ state, paths }, '0.1.0', () => undefined));
    await new Promise<void>((done) => started.listen(0, '127.0.0.1', done));
    server = started;
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    return async () => {
      agent?.destroy();
      started.closeAllConnections();
      await new Promise((done) => started.close(done));
      rmSync(dir, { recursive: true, force: true });
    };
  },
  async run(i) {
    writeFileSync(paths!.claim(CLAIM), i.record);
    const port = (server!.address() as AddressInfo).port;
    let answer;
    try {
      answer = await send(port, i);
      // Node's HTTP parser answers a bare 400 when a kept-alive connection is left in a state it cannot
      // parse (a body the handler did not read): the same request on a new connection must be answered.
      if (answer.status === 400 && answer.text === '') answer = await send(port, i, true);
    } catch (error) {
      if (Buffer.byteLength(i.body) > MAX_BODY) return;
      throw error;
    }
    const { status, text } = answer;
    if (status === 200) {
      parseRedeemAnswer(text, 'fuzz');
      return;
    }
    if (!(ANSWERS[status] ?? []).includes(text)) throw new Error(`answer ${status} ${JSON.stringify(text.slice(0, 80))} is not one the protocol names`);
  },
};
