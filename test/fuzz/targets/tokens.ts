/**
 * Token files and what a grant server answers: AccessToken, cert token and claim token files
 * (read as `link create` reads them, from a file) and redeem answers (v2 Secret + Links, v1 cert
 * token), edited as YAML trees and as text. Only the documented errors: CliError for files,
 * TokenError for answers.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { accessTokenYaml } from '../../../common/src/tokens/access-token.js';
import { TokenError } from '../../../common/src/tokens/errors.js';
import { parseRedeemAnswer, redeemAnswerYaml } from '../../../common/src/tokens/redeem-answer.js';
import { createCa, issueCertificate } from '../../../common/src/pki.js';
import { CliError } from '../../../cli/src/errors.js';
import { certTokenYaml } from '../../../cli/src/tokens/cert-token.js';
import { claimTokenYaml } from '../../../cli/src/tokens/claim-token.js';
import { readTokenFile } from '../../../cli/src/tokens/token-file.js';
import { documentedOnly, type FuzzTarget } from '../harness.js';
import { mutatedDocuments, type Json } from '../mutate.js';
import { scratchDir } from '../scratch-dir.js';

type Input = { kind: 'file'; text: string } | { kind: 'answer'; text: string };

/** One of each document kind, with a real CA and client certificate. */
function seeds(): { files: Json[]; answers: Json[] } {
  const ca = createCa('fuzz-ca');
  const pair = issueCertificate(ca, { commonName: 'fuzz-site', usage: 'client' });
  const files = [
    accessTokenYaml({ name: 'fuzz', spec: { url: 'https://127.0.0.1:9090/grant', code: 'abc', ca: ca.cert, linkCost: 2 } }),
    certTokenYaml({ name: 'fuzz', generatedBy: 'site-a', siteVersion: '0.1.0', interRouter: { host: '127.0.0.1', port: 55671 }, edge: { host: '127.0.0.1', port: 45671 }, cost: 3, cert: pair.cert, key: pair.key, ca: ca.cert }),
    claimTokenYaml({ name: 'fuzz', url: 'https://127.0.0.1:8081/fuzz', generatedBy: 'site-a', siteVersion: '0.1.0', expiration: '2030-01-01T00:00:00Z', password: 'pw', ca: ca.cert }),
  ];
  const secret = { name: 'fuzz', 'tls.crt': pair.cert, 'tls.key': pair.key, 'ca.crt': ca.cert, generatedBy: 'site-a' };
  const answers = [redeemAnswerYaml({ secret, links: [{ name: 'l1', endpoints: [{ name: 'inter-router', host: 'h', port: 55671 }, { name: 'edge', host: 'h', port: 45671 }], cost: 1 }] }), files[1]!];
  // Multi-document answers are kept as lists of documents, joined again when serialized.
  return { files: files.map((t) => parse(t) as Json), answers: answers.map((t) => t.split(/^---\n/m).filter((d) => d.trim() !== '').map((d) => parse(d) as Json)) };
}

const YAML_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'labels', 'annotations', 'data', 'spec', 'url', 'code', 'ca', 'linkCost', 'endpoints', 'host', 'port', 'cost', 'skupper.io/type', 'tls.crt', 'ca.crt'];
const yamlDoc = (doc: Json): string => stringify(doc);
const yamlStream = (doc: Json): string => (Array.isArray(doc) ? doc.map((d) => `---\n${stringify(d)}`).join('') : stringify(doc));

let dir: string | undefined;

export function tokensTarget(): FuzzTarget<Input> {
  const { files, answers } = seeds();
  return {
    name: 'tokens',
    about: 'readTokenFile (AccessToken, cert and claim tokens) and parseRedeemAnswer: only CliError / TokenError',
    input: fc.oneof(
      mutatedDocuments(files, yamlDoc, YAML_KEYS).map((text) => ({ kind: 'file' as const, text })),
      mutatedDocuments(answers, yamlStream, YAML_KEYS).map((text) => ({ kind: 'answer' as const, text })),
    ),
    async setup() {
      dir = scratchDir('skiff-fuzz-tokens-');
      return async () => rmSync(dir!, { recursive: true, force: true });
    },
    run(input) {
      if (input.kind === 'answer') return void documentedOnly(TokenError, () => parseRedeemAnswer(input.text, 'https://fuzz/grant'));
      const file = join(dir!, 'token.yaml');
      writeFileSync(file, input.text);
      documentedOnly(CliError, () => readTokenFile(file));
    },
  };
}
