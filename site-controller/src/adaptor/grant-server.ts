/**
 * The grant server (ADR 0004 "Tokens and the grant server", reference §7.3), run by the kube-adaptor
 * beside each router: HTTPS with the `skupper-site-server` certificate (reloaded when the Secret
 * changes), `POST /<AccessGrant uid>` with the grant's code as body redeems the grant for a client
 * certificate and a Link to this site. Refusals are plain text answers, logged once each; nothing
 * internal (no stack) ever reaches an answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { CoreV1Api, CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject, type V1Secret } from '@kubernetes/client-node';
import { TlsKey } from '../../../common/src/tokens/secret-names.js';
import { Port, SiteServerSecret } from '../../../common/src/kube-api/names.js';
import { GROUP, Plural, VERSION, type AccessGrant } from '../../../common/src/kube-api/types.js';
import { GrantAnswer, RedeemHeader } from '../../../common/src/tokens/protocol.js';
import { checkGrant } from './grant-server-check.js';
import { countRedemption } from './grant-server-count.js';
import { issueAnswer, NotReady, readIssuer } from './grant-server-issue.js';
import { Watched } from './watched.js';

export interface GrantServerOptions {
  /** Default 8081 (ADR 0004). */
  port?: number;
  /** Default: every interface. */
  host?: string;
  namespace: string;
  kubeConfig: KubeConfig;
  /** This site's Site object, once known. */
  site: () => { name: string; uid: string } | undefined;
  log: (line: string) => void;
  now?: () => Date;
}

export interface GrantServer {
  /** Resolves once the server listens (it waits for its certificate's Secret). */
  ready: Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 4096;
/** A Kubernetes object name (DNS-1123 subdomain): the Secret and Link are named after it. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** Longest common name X.509 allows. */
const MAX_SUBJECT = 64;

type Grant = AccessGrant & KubernetesObject;

class Answer {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {}
}

const notReady = new Answer(503, 'Site not ready, try again later');

export function startGrantServer(options: GrantServerOptions): GrantServer {
  const { namespace, kubeConfig, log } = options;
  const now = options.now ?? (() => new Date());
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  let server: Server | undefined;
  let closed = false;
  let listening: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (listening = resolve));

  const grants = new Watched<Grant>(kubeConfig, 'AccessGrants', namespace, `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${Plural.AccessGrant}`,
    () => custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: Plural.AccessGrant }) as Promise<KubernetesListObject<Grant>>, () => undefined, log);

  const useCertificate = (): void => {
    const secret = secrets.get(SiteServerSecret);
    const cert = secret?.data?.[TlsKey.cert];
    const key = secret?.data?.[TlsKey.key];
    if (closed || cert === undefined || key === undefined) return;
    const context = { cert: Buffer.from(cert, 'base64'), key: Buffer.from(key, 'base64') };
    try {
      if (server !== undefined) {
        server.setSecureContext(context);
        log(`grant server: certificate reloaded from Secret ${SiteServerSecret}`);
        return;
      }
      server = createServer(context, (request, response) => void handle(request, response));
      server.on('error', (error) => log(`grant server: cannot serve on port ${options.port ?? Port.grant}: ${error.message}`));
      server.listen(options.port ?? Port.grant, options.host, () => {
        log(`grant server: listening on ${options.host ?? '*'}:${options.port ?? Port.grant}`);
        listening();
      });
    } catch (error) {
      log(`grant server: Secret ${SiteServerSecret} holds no usable certificate and key: ${(error as Error).message}`);
    }
  };
  const fieldSelector = `metadata.name=${SiteServerSecret}`;
  const secrets = new Watched<V1Secret>(kubeConfig, `Secret ${SiteServerSecret}`, namespace, `/api/v1/namespaces/${namespace}/secrets`,
    () => core.listNamespacedSecret({ namespace, fieldSelector }), useCertificate, log, fieldSelector);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let answer: Answer;
    try {
      answer = await redeem(request);
    } catch (error) {
      log(`grant server: ${request.method ?? ''} ${request.url ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
      answer = new Answer(500, 'Internal error');
    }
    if (!response.headersSent) response.writeHead(answer.status, { 'content-type': answer.status === 200 ? 'application/yaml' : 'text/plain' }).end(answer.text);
  }

  async function redeem(request: IncomingMessage): Promise<Answer> {
    if (request.method !== 'POST') return new Answer(405, 'Method not allowed');
    const uid = new URL(request.url ?? '/', 'https://grant').pathname.slice(1);
    const code = await readBody(request);
    if (code === undefined) return new Answer(400, 'Unreadable request');
    const grant = grants.list().find((g) => g.metadata.uid === uid);
    const label = grant === undefined ? `uid ${uid}` : `AccessGrant ${grant.metadata.name}`;
    const name = header(request, RedeemHeader.name) ?? grant?.metadata.name ?? '';
    const subject = header(request, RedeemHeader.subject) ?? header(request, RedeemHeader.siteName) ?? name;
    if (grant !== undefined && !OBJECT_NAME.test(name)) return refused(label, new Answer(400, 'Bad name: a Kubernetes object name is expected'), `bad name header ${JSON.stringify(name)}`);
    if (subject.length > MAX_SUBJECT) return refused(label, new Answer(400, 'Bad subject: at most 64 characters'), 'subject too long');
    // Checked on the cached grant first, so a refused request costs no key generation.
    if (grant === undefined) return refused(label, new Answer(404, GrantAnswer.notFound), 'no AccessGrant has this uid');
    const check = checkGrant(grant, code, now());
    if (!check.ok) return refused(label, new Answer(check.status, check.answer), check.reason);
    const site = options.site();
    if (site === undefined) return refused(label, notReady, 'the Site is not known yet');
    let answer: string;
    try {
      // Issued before the redemption is counted: a site that cannot issue does not use up the grant.
      answer = issueAnswer(await readIssuer(core, custom, namespace, site.name), name, subject, site.uid);
    } catch (error) {
      return refused(label, notReady, error instanceof NotReady ? error.message : `cannot issue: ${(error as Error).message}`);
    }
    const counted = await countRedemption(custom, grant, code, now);
    if (!counted.ok) return refused(label, new Answer(counted.status, counted.answer), counted.reason);
    log(`grant server: ${label} redeemed by ${subject} (name ${name})`);
    return new Answer(200, answer);
  }

  function refused(label: string, answer: Answer, reason: string): Answer {
    log(`grant server: ${label} refused (${answer.status} ${answer.text}): ${reason}`);
    return answer;
  }

  void grants.start();
  void secrets.start();
  return {
    ready,
    close: async () => {
      closed = true;
      await Promise.all([grants.stop(), secrets.stop()]);
      const running = server;
      if (running === undefined) return;
      running.closeAllConnections();
      await new Promise((done) => running.close(done));
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/** The body as text; undefined when it is larger than a code can be or the request broke off. */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) {
        resolve(undefined);
        request.destroy();
      }
    });
    request.on('end', () => resolve(body));
    request.on('error', () => resolve(undefined));
  });
}
