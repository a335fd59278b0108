/**
 * The Kubernetes half of the CLI without a cluster: which platform a run picks, what `link create`
 * makes of each token kind, the link table, progress lines and the wait loop, Go durations, the
 * network view, and that every Kubernetes error code is documented.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiException } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { accessTokenYaml } from '../../common/src/tokens/access-token.js';
import { createCa, issueCertificate } from '../../common/src/pki.js';
import type { Site } from '../../common/src/kube-api/types.js';
import { CliError, ErrorCode } from '../../cli/src/errors.js';
import type { GlobalOptions } from '../../cli/src/deps.js';
import { goDuration } from '../../cli/src/platform/kubernetes/go-duration.js';
import { kubeError } from '../../cli/src/platform/kubernetes/kube-errors.js';
import { networkView } from '../../cli/src/platform/kubernetes/kube-network-status.js';
import { incomingLinks, linkRow, linkTable, renderTable } from '../../cli/src/platform/kubernetes/link-view.js';
import { choosePlatform } from '../../cli/src/platform/kubernetes/platform-choice.js';
import { linkObjects } from '../../cli/src/platform/kubernetes/token-objects.js';
import { progressLine, waitFor } from '../../cli/src/platform/kubernetes/wait.js';
import { certTokenYaml } from '../../cli/src/tokens/cert-token.js';
import { claimTokenYaml } from '../../cli/src/tokens/claim-token.js';
import { readTokenFile } from '../../cli/src/tokens/token-file.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-kube-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kube cli - platform choice', () => {
  const pick = (global: Partial<GlobalOptions>, env: Record<string, string> = {}, localSites = 0, files: string[] = []): string =>
    choosePlatform({ global: { output: 'text', ...global }, env: { HOME: '/home/u', ...env }, localSites, fileExists: (f) => files.includes(f) });

  it('takes --platform, then SKIFF_PLATFORM', () => {
    expect(pick({ platform: 'kubernetes' }, {}, 3)).toBe('kubernetes');
    expect(pick({ platform: 'local' }, {}, 0, ['/home/u/.kube/config'])).toBe('local');
    expect(pick({}, { SKIFF_PLATFORM: 'kubernetes' }, 2)).toBe('kubernetes');
    expect(() => pick({}, { SKIFF_PLATFORM: 'podman' })).toThrow(/SKIFF_PLATFORM=podman is not a platform/);
  });

  it('picks kubernetes for a named cluster target, local for a named or existing local site', () => {
    expect(pick({ namespace: 'west' }, {}, 2)).toBe('kubernetes');
    expect(pick({ context: 'c1' })).toBe('kubernetes');
    expect(pick({ kubeconfig: '/k' })).toBe('kubernetes');
    expect(pick({ site: 'west' }, {}, 0, ['/home/u/.kube/config'])).toBe('local');
    expect(pick({}, { SKIFF_SITE: 'west' }, 0, ['/home/u/.kube/config'])).toBe('local');
    expect(pick({}, {}, 1, ['/home/u/.kube/config'])).toBe('local');
  });

  it('picks kubernetes when no local site exists and a kubeconfig is found, else local', () => {
    expect(pick({}, {}, 0, ['/home/u/.kube/config'])).toBe('kubernetes');
    expect(pick({}, { KUBECONFIG: '/a:/b' }, 0, ['/b'])).toBe('kubernetes');
    expect(pick({}, { KUBECONFIG: '/a' }, 0, ['/home/u/.kube/config'])).toBe('local');
    expect(pick({})).toBe('local');
  });

  it('refuses options of the other platform', () => {
    expect(() => pick({ platform: 'local', namespace: 'west' })).toThrow(/name a Kubernetes site, but the platform is local/);
    expect(() => pick({ platform: 'kubernetes', site: 'west' })).toThrow(/--site names a local site/);
  });
});

describe('kube cli - token files to objects', () => {
  const ca = createCa('skupper-site-ca');
  const client = issueCertificate(ca, { commonName: 'east', usage: 'client' });
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('makes an AccessToken of an AccessToken file, with --cost as linkCost', () => {
    const file = write('access.yaml', accessTokenYaml({ name: 'west-grant', spec: { url: 'https://172.30.1.100:8081/abc', code: 'secret-code', ca: ca.cert } }));
    const made = linkObjects(readTokenFile(file), { cost: 4, nextLinkName: 'link1' });
    expect(made.kind).toBe('AccessToken');
    if (made.kind !== 'AccessToken') return;
    expect(made.accessToken).toMatchObject({ apiVersion: 'skupper.io/v2alpha1', kind: 'AccessToken', metadata: { name: 'west-grant', labels: { 'app.kubernetes.io/part-of': 'skiff', 'app.kubernetes.io/managed-by': 'skiff-cli' } } });
    expect(made.accessToken.spec).toEqual({ url: 'https://172.30.1.100:8081/abc', code: 'secret-code', ca: ca.cert, linkCost: 4 });
  });

  it('turns a v1 claim token into an AccessToken: url, code = password, ca', () => {
    const file = write('claim.yaml', claimTokenYaml({ name: 'claim-1', url: 'https://10.0.0.1:8081/claim-1', generatedBy: 'site-uid', siteVersion: '0.1.0', expiration: null, password: 'pw-123', ca: ca.cert }));
    const made = linkObjects(readTokenFile(file), { name: 'to-west', nextLinkName: 'link1' });
    if (made.kind !== 'AccessToken') throw new Error(`expected an AccessToken, got ${made.kind}`);
    expect(made.accessToken.metadata.name).toBe('to-west');
    expect(made.accessToken.spec).toEqual({ url: 'https://10.0.0.1:8081/claim-1', code: 'pw-123', ca: ca.cert });
  });

  it('turns a v1 cert token into its Secret and a Link to the endpoints of its annotations', () => {
    const file = write('cert.yaml', certTokenYaml({ name: 'skupper', generatedBy: 'west-uid', siteVersion: '0.1.0', interRouter: { host: 'w.example', port: 55671 }, edge: { host: 'w.example', port: 45671 }, cost: 3, cert: client.cert, key: client.key, ca: ca.cert }));
    const made = linkObjects(readTokenFile(file), { nextLinkName: 'link2' });
    if (made.kind !== 'Link') throw new Error(`expected a Link, got ${made.kind}`);
    expect(made.secret).toMatchObject({ kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'link2', annotations: { 'skupper.io/generated-by': 'west-uid' } } });
    expect(Buffer.from(made.secret.data['tls.key'] ?? '', 'base64').toString()).toBe(client.key);
    expect(Buffer.from(made.secret.data['ca.crt'] ?? '', 'base64').toString()).toBe(ca.cert);
    expect(made.link.spec).toEqual({
      endpoints: [
        { name: 'inter-router', host: 'w.example', port: '55671' },
        { name: 'edge', host: 'w.example', port: '45671' },
      ],
      tlsCredentials: 'link2',
      cost: 3,
    });
    expect(made.url).toBe('w.example:55671');
  });

  it('refuses anything else, naming the file and what it expected', () => {
    const file = write('configmap.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const error = catchError(() => readTokenFile(file));
    expect(error.code).toBe(ErrorCode.SKIFF_ERR_TOKEN_INVALID);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/expected a Secret/);
  });
});

describe('kube cli - rendering', () => {
  it('pads table columns to the widest cell', () => {
    expect(renderTable(['NAME', 'STATUS'], [['a-long-name', 'Ready'], ['b', 'Pending']])).toEqual(['NAME         STATUS', 'a-long-name  Ready', 'b            Pending']);
  });

  it('shows links as NAME STATUS COST MESSAGE from their status', () => {
    const ok = linkRow({ apiVersion: 'skupper.io/v2alpha1', kind: 'Link', metadata: { name: 'west' }, spec: { cost: 2 }, status: { status: 'Ready', message: 'OK', conditions: [condition('Operational', 'True', 'OK')] } });
    const down = linkRow({ apiVersion: 'skupper.io/v2alpha1', kind: 'Link', metadata: { name: 'north' }, status: { status: 'Pending', conditions: [condition('Operational', 'False', 'connection refused')] } });
    const fresh = linkRow({ apiVersion: 'skupper.io/v2alpha1', kind: 'Link', metadata: { name: 'new' } });
    expect([ok.operational, down.operational, fresh.status]).toEqual([true, false, 'Pending']);
    expect(linkTable([ok, down, fresh])).toEqual([
      'NAME   STATUS   COST  MESSAGE',
      'west   Ready    2     OK',
      'north  Pending  1     connection refused',
      'new    Pending  1     no status yet (no controller has taken it)',
    ]);
  });

  it('says what it waits for, with the time once a second has passed', () => {
    expect(progressLine([{ label: 'router pod Ready', done: false }], 400)).toBe('waiting for: router pod Ready');
    expect(progressLine([{ label: 'router pod Ready', done: false }, { label: 'link access endpoints', done: false }], 12_400)).toBe('waiting for: router pod Ready, link access endpoints (12 s)');
  });

  it('writes Go durations', () => {
    expect([goDuration(900_000), goDuration(5_400_000), goDuration(90_000), goDuration(0)]).toEqual(['15m', '1h30m', '1m30s', '0s']);
  });
});

describe('kube cli - waiting', () => {
  it('prints progress when the missing items change and returns once all are done', async () => {
    const states = [['a', 'b'], ['a', 'b'], ['b'], []];
    const lines: string[] = [];
    let calls = 0;
    const value = await waitFor({
      subject: 'x',
      timeoutMs: 60_000,
      pollMs: 0,
      hint: 'h',
      progress: (l) => lines.push(l),
      check: () => {
        const missing = states[Math.min(calls++, states.length - 1)] ?? [];
        return Promise.resolve({ value: calls, items: ['a', 'b'].map((label) => ({ label, done: !missing.includes(label) })) });
      },
    });
    expect(value).toBe(4);
    expect(lines).toEqual(['waiting for: a, b', 'waiting for: b']);
  });

  it('fails on timeout naming each missing item and why', async () => {
    let now = 0;
    const error = await waitFor({
      subject: 'Site "west" in namespace west',
      timeoutMs: 3000,
      pollMs: 0,
      hint: 'h',
      clock: () => (now += 1000),
      progress: () => undefined,
      check: () => Promise.resolve({ value: 0, items: [{ label: 'router config', done: true }, { label: 'router pod Ready', done: false, why: 'pod skupper-router-1 not ready: ImagePullBackOff' }] }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe(ErrorCode.SKIFF_ERR_TIMEOUT);
    expect((error as CliError).message).toMatch(/^Site "west" in namespace west is not ready after \d+ s; still missing: router pod Ready \(pod skupper-router-1 not ready: ImagePullBackOff\)$/);
  });
});

describe('kube cli - network', () => {
  const site: Site = {
    apiVersion: 'skupper.io/v2alpha1',
    kind: 'Site',
    metadata: { name: 'west', uid: 'w' },
    status: {
      network: [
        { id: 'e', name: 'east', namespace: 'east', platform: 'kubernetes', links: [{ name: 'to-west', remoteSiteId: 'w', operational: true }], services: [{ routingKey: 'hello', listeners: ['hello'] }] },
        { id: 'w', name: 'west', namespace: 'west', platform: 'kubernetes', version: '0.1.0' },
        { id: 'l', name: 'laptop', platform: 'local', links: [{ name: 'link1', remoteSiteId: 'w', operational: false }] },
      ],
    },
  };

  it('lists this site first, then the others by name, with links in both directions', () => {
    const view = networkView({ id: 'w', name: 'west' }, site.status?.network ?? []);
    expect(view.map((s) => [s.name, s.local])).toEqual([['west', true], ['east', false], ['laptop', false]]);
    expect(view[0]?.links).toEqual([
      { name: 'to-west', direction: 'incoming', remoteSiteId: 'e', remoteSiteName: 'east', connected: true },
      { name: 'link1', direction: 'incoming', remoteSiteId: 'l', remoteSiteName: 'laptop', connected: false },
    ]);
    expect(view[1]?.links[0]).toMatchObject({ direction: 'outgoing', remoteSiteName: 'west' });
    expect(view[1]?.services).toEqual([{ address: 'hello', listeners: ['hello'], connectors: [] }]);
  });

  it('finds the links other sites made to this one', () => {
    expect(incomingLinks(site).map((l) => [l.name, l.remoteSiteName, l.namespace, l.operational])).toEqual([
      ['to-west', 'east', 'east', true],
      ['link1', 'laptop', null, false],
    ]);
  });
});

describe('kube cli - API errors', () => {
  const action = { verb: 'create', resource: 'sites.skupper.io', namespace: 'west', name: 'west' };
  const server = 'https://10.0.0.1:6443';

  it('names the verb and resource of a refused request and the Role that allows it', () => {
    const error = kubeError(new ApiException(403, 'Forbidden', JSON.stringify({ kind: 'Status', message: 'sites.skupper.io is forbidden: User "bob" cannot create', reason: 'Forbidden' }), {}), action, server);
    expect(error.code).toBe(ErrorCode.SKIFF_ERR_KUBE_FORBIDDEN);
    expect(error.message).toContain("create sites.skupper.io 'west' in namespace west");
    expect(error.hint).toContain('kubectl create role skiff-user -n west --verb=create --resource=sites.skupper.io');
  });

  it('tells a missing CRD (a 404 for the type) from a missing object, and a dead server from both', () => {
    expect(kubeError(new ApiException(404, 'Not Found', '404 page not found', {}), action, server).code).toBe(ErrorCode.SKIFF_ERR_NO_CRDS);
    const missing = kubeError(new ApiException(404, 'Not Found', JSON.stringify({ kind: 'Status', message: 'sites.skupper.io "west" not found', details: { name: 'west', kind: 'sites' } }), {}), action, server);
    expect(missing.code).toBe(ErrorCode.SKIFF_ERR_KUBE_API);
    const dead = kubeError(Object.assign(new Error('request to https://10.0.0.1:6443/apis failed, reason: connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), action, server);
    expect([dead.code, dead.message]).toEqual([ErrorCode.SKIFF_ERR_KUBE_UNREACHABLE, expect.stringContaining(`API server at ${server}`)]);
  });
});

function condition(type: string, status: 'True' | 'False', message: string) {
  return { type, status, reason: status === 'True' ? 'Ready' : 'Error', message, observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z' };
}

function catchError(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}
