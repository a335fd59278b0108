/**
 * A pod's volumes as kubelet keeps them: each becomes a directory under the pod's directory
 * (the container launcher bind-mounts it at its mountPaths), written atomically (atomic-dir.ts),
 * and volumes made from ConfigMaps and Secrets (directly or projected) are rewritten when those
 * objects change, so running pods see new contents. The node agent calls refresh() after its
 * ConfigMap and Secret caches change; only volumes whose sources' resourceVersions differ from
 * the ones written are read again, from the API (never from a cache that may lag behind).
 */
import { mkdir } from 'node:fs/promises';
import type { CoreV1Api, V1DownwardAPIVolumeFile, V1KeyToPath, V1Volume } from '@kubernetes/client-node';
import { describeError, type AgentLog } from './agent-log.js';
import { writeAtomically, type VolumeFile } from './atomic-dir.js';
import { configMapData, field, PodInputError, secretData, type PodFacts, type SourceData } from './pod-inputs.js';

export type SourceKind = 'configmap' | 'secret';

/** The resourceVersion of an object as the node agent's cache has it (undefined: not there). */
export type CurrentVersion = (kind: SourceKind, namespace: string, name: string) => string | undefined;

interface Written {
  volume: V1Volume;
  dir: string;
  /** "kind/name" of each source object -> the resourceVersion written (undefined: was absent). */
  versions: Map<string, string | undefined>;
  signature: string;
}

const FILE_MODE = 0o644;
const SECRET_MODE = 0o600;

export class PodVolumes {
  private readonly written = new Map<string, Written>();
  /** Service-account tokens by source, requested once per pod (kubelet rotates them near expiry; we do not). */
  private readonly tokens = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly core: CoreV1Api,
    private readonly log: AgentLog,
  ) {}

  /** Writes one volume's contents (emptyDir: just the directory). Returns the host path to mount. */
  materialize(facts: PodFacts, volume: V1Volume, dir: string): Promise<string> {
    if (volume.hostPath) return Promise.resolve(volume.hostPath.path);
    return this.serial(async () => {
      if (volume.emptyDir) {
        await mkdir(dir, { recursive: true });
        return dir;
      }
      await this.write(facts, volume, dir);
      return dir;
    });
  }

  /** Rewrites the volumes whose ConfigMaps or Secrets changed; resolves with their names. */
  refresh(facts: PodFacts, current: CurrentVersion): Promise<string[]> {
    const ns = facts.pod.metadata?.namespace ?? 'default';
    return this.serial(async () => {
      const updated: string[] = [];
      for (const w of this.written.values()) {
        const stale = [...w.versions].some(([key, version]) => {
          const [kind, name] = key.split('/') as [SourceKind, string];
          const now = current(kind, ns, name);
          // A deleted object leaves the last contents in place, as in kubelet.
          return now !== undefined && now !== version;
        });
        if (!stale) continue;
        try {
          if (await this.write(facts, w.volume, w.dir)) updated.push(w.volume.name);
        } catch (error) {
          this.log(`pod ${ns}/${facts.pod.metadata?.name ?? ''}: volume ${w.volume.name} not updated: ${describeError(error)}`);
        }
      }
      return updated;
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Renders and writes a volume; false when its contents are unchanged. */
  private async write(facts: PodFacts, volume: V1Volume, dir: string): Promise<boolean> {
    const { files, versions } = await this.render(facts, volume);
    const signature = JSON.stringify([...files].sort(([a], [b]) => a.localeCompare(b)));
    const changed = this.written.get(volume.name)?.signature !== signature;
    if (changed) await writeAtomically(dir, files);
    this.written.set(volume.name, { volume, dir, versions, signature });
    return changed;
  }

  private async render(facts: PodFacts, volume: V1Volume) {
    const ns = facts.pod.metadata?.namespace ?? 'default';
    const files = new Map<string, VolumeFile>();
    const versions = new Map<string, string | undefined>();
    const add = (source: SourceData, key: string, items: readonly V1KeyToPath[] | undefined, mode: number) => {
      versions.set(key, source.version);
      const entries = items?.length ? items.map((i) => [i.path, source.data[i.key] ?? '', i.mode] as const) : Object.entries(source.data).map(([k, v]) => [k, v, undefined] as const);
      for (const [path, content, itemMode] of entries) files.set(path, { content, mode: itemMode ?? mode });
    };
    const downward = (items: readonly V1DownwardAPIVolumeFile[] | undefined, mode: number) => {
      for (const i of items ?? []) files.set(i.path, { content: i.fieldRef ? field(facts, i.fieldRef) : '', mode: i.mode ?? mode });
    };
    if (volume.configMap) {
      const cm = volume.configMap;
      add(await configMapData(this.core, ns, cm.name ?? '', cm.optional), `configmap/${cm.name ?? ''}`, cm.items, cm.defaultMode ?? FILE_MODE);
    } else if (volume.secret) {
      const s = volume.secret;
      add(await secretData(this.core, ns, s.secretName ?? '', s.optional), `secret/${s.secretName ?? ''}`, s.items, s.defaultMode ?? SECRET_MODE);
    } else if (volume.downwardAPI) {
      downward(volume.downwardAPI.items, volume.downwardAPI.defaultMode ?? FILE_MODE);
    } else if (volume.projected) {
      const mode = volume.projected.defaultMode;
      for (const source of volume.projected.sources ?? []) {
        if (source.serviceAccountToken) {
          const t = source.serviceAccountToken;
          files.set(t.path, { content: await this.token(facts, t.path, t.audience, t.expirationSeconds), mode: mode ?? SECRET_MODE });
        } else if (source.configMap) {
          const cm = source.configMap;
          add(await configMapData(this.core, ns, cm.name ?? '', cm.optional), `configmap/${cm.name ?? ''}`, cm.items, mode ?? FILE_MODE);
        } else if (source.secret) {
          const s = source.secret;
          add(await secretData(this.core, ns, s.name ?? '', s.optional), `secret/${s.name ?? ''}`, s.items, mode ?? SECRET_MODE);
        } else if (source.downwardAPI) {
          downward(source.downwardAPI.items, mode ?? FILE_MODE);
        }
      }
    } else {
      throw new PodInputError(`volume ${volume.name}: only configMap, secret, emptyDir, projected, downwardAPI and hostPath are supported`);
    }
    return { files, versions };
  }

  private async token(facts: PodFacts, path: string, audience: string | undefined, expirationSeconds: number | undefined): Promise<string> {
    const key = `${path}|${audience ?? ''}|${expirationSeconds ?? ''}`;
    const cached = this.tokens.get(key);
    if (cached !== undefined) return cached;
    const pod = facts.pod;
    const response = await this.core.createNamespacedServiceAccountToken({
      name: pod.spec?.serviceAccountName ?? 'default',
      namespace: pod.metadata?.namespace ?? 'default',
      body: {
        spec: {
          audiences: audience ? [audience] : [],
          expirationSeconds: expirationSeconds ?? 3607,
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
        },
      },
    });
    const token = response.status?.token ?? '';
    this.tokens.set(key, token);
    return token;
  }
}
