/**
 * What `skiff debug dump` collects from a Kubernetes namespace: every skupper.io object, the
 * objects labelled as Skiff's (Deployments, Services, ConfigMaps, Pods), the Secrets by name and
 * type only (never their data), the namespace's events, and the logs of Skiff's pods when
 * `pods/log` may be read (a note says why not otherwise). Tokens' codes are redacted.
 */
import { ApiException, type KubernetesObject } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { Label, PART_OF } from '../../../../common/src/kube-api/names.js';
import { API_VERSION, Plural, type Kind } from '../../../../common/src/kube-api/types.js';
import type { TarEntry } from '../../archive/tar-writer.js';
import { REDACTED, redactJson, redactText } from '../../commands/debug/redact.js';
import { CliError } from '../../errors.js';
import type { KubeClient, ListedKind } from './kube-client.js';

const SKIFF_SELECTOR = `${Label.partOf}=${PART_OF}`;

const LABELLED_KINDS: readonly ListedKind[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', resource: 'deployments.apps' },
  { apiVersion: 'v1', kind: 'Service', resource: 'services' },
  { apiVersion: 'v1', kind: 'ConfigMap', resource: 'configmaps' },
  { apiVersion: 'v1', kind: 'Pod', resource: 'pods' },
];

/** The last lines of each container's log: what explains a failure, in a dump of bounded size. */
const LOG_TAIL_LINES = 5000;

export async function kubeDumpEntries(client: KubeClient): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  for (const kind of Object.keys(Plural) as Kind[]) {
    entries.push(...(await guarded(`skupper/${Plural[kind]}`, async () => (await client.list(kind)).map((o) => yamlEntry(`skupper/${Plural[kind]}/${o.metadata.name}.yaml`, withoutCodes(o))))));
  }
  const pods: KubernetesObject[] = [];
  for (const kind of LABELLED_KINDS) {
    entries.push(
      ...(await guarded(`kube/${kind.kind}`, async () => {
        const objects = await client.listAny(kind, SKIFF_SELECTOR);
        if (kind.kind === 'Pod') pods.push(...objects);
        return objects.map((o) => yamlEntry(`kube/${kind.kind.toLowerCase()}s/${o.metadata?.name ?? 'unnamed'}.yaml`, o));
      })),
    );
  }
  entries.push(...(await guarded('kube/secrets', async () => [yamlEntry('kube/secrets.yaml', await secretNames(client))])));
  entries.push(...(await guarded('kube/events', async () => [yamlEntry('kube/events.yaml', await client.listAny({ apiVersion: 'v1', kind: 'Event', resource: 'events' }))])));
  entries.push(...(await podLogs(client, pods)));
  return entries;
}

/** Names, types and data keys of the namespace's Secrets: never their values. */
async function secretNames(client: KubeClient): Promise<object[]> {
  const secrets = await client.listAny({ apiVersion: 'v1', kind: 'Secret', resource: 'secrets' });
  return secrets.map((s) => {
    const secret = s as KubernetesObject & { type?: string; data?: Record<string, string> };
    return { name: secret.metadata?.name, type: secret.type, labels: secret.metadata?.labels ?? {}, keys: Object.keys(secret.data ?? {}) };
  });
}

async function podLogs(client: KubeClient, pods: readonly KubernetesObject[]): Promise<TarEntry[]> {
  const { namespace } = client;
  const entries: TarEntry[] = [];
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    const containers = ((pod as { spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] } }).spec ?? {});
    for (const container of [...(containers.initContainers ?? []), ...(containers.containers ?? [])].map((c) => c.name)) {
      try {
        const log = await client.core.readNamespacedPodLog({ name, namespace, container, tailLines: LOG_TAIL_LINES });
        entries.push({ name: `logs/${name}/${container}.log`, data: redactText(log) });
      } catch (error) {
        const why = error instanceof ApiException ? `HTTP ${error.code}: ${String(error.body).slice(0, 500)}` : (error as Error).message;
        if (error instanceof ApiException && error.code === 403) {
          return [...entries, { name: 'logs/NOT-COLLECTED.txt', data: `Pod logs were not collected: reading pods/log in namespace ${namespace} is forbidden (${why}).\n` }];
        }
        entries.push({ name: `logs/${name}/${container}.log.unavailable.txt`, data: `${why}\n` });
      }
    }
  }
  return entries;
}

/** A list's entries, or one note saying why it could not be read (one refused kind does not cost the rest). */
async function guarded(what: string, read: () => Promise<TarEntry[]>): Promise<TarEntry[]> {
  try {
    return await read();
  } catch (error) {
    const message = error instanceof CliError ? `${error.message} [${error.code}]` : (error as Error).message;
    return [{ name: `${what}.unavailable.txt`, data: `${message}\n` }];
  }
}

function yamlEntry(name: string, value: unknown): TarEntry {
  return { name, data: stringify(redactJson(value)) };
}

/** An AccessGrant's or AccessToken's code redeems it: it stays out of a dump. */
function withoutCodes(object: { apiVersion: string; kind: string; spec?: unknown; status?: unknown }): object {
  if (object.apiVersion !== API_VERSION) return object;
  const strip = (part: unknown): unknown => (typeof part === 'object' && part !== null && 'code' in part ? { ...part, code: REDACTED } : part);
  return { ...object, ...(object.spec === undefined ? {} : { spec: strip(object.spec) }), ...(object.status === undefined ? {} : { status: strip(object.status) }) };
}
