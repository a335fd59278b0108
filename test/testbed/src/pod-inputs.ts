/**
 * What a container is given besides its command: environment variables and volume contents,
 * resolved from the API the way kubelet does (downward API fields, Secret and ConfigMap keys,
 * service-account tokens). Volumes become directories under the pod's directory; the
 * container launcher bind-mounts them at their mountPaths.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CoreV1Api, V1Container, V1ObjectFieldSelector, V1Pod, V1Volume } from '@kubernetes/client-node';
import { KUBERNETES_SERVICE_IP } from './control-plane.js';

export class PodInputError extends Error {
  override readonly name = 'PodInputError';
}

export interface PodFacts {
  pod: V1Pod;
  podIp: string;
  hostIp: string;
}

function field(facts: PodFacts, ref: V1ObjectFieldSelector): string {
  const { pod } = facts;
  const labelOrAnnotation = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(ref.fieldPath);
  if (labelOrAnnotation) {
    const map = labelOrAnnotation[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations;
    return map?.[labelOrAnnotation[2] ?? ''] ?? '';
  }
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata?.name,
    'metadata.namespace': pod.metadata?.namespace,
    'metadata.uid': pod.metadata?.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.podIP': facts.podIp,
    'status.podIPs': facts.podIp,
    'status.hostIP': facts.hostIp,
    'status.hostIPs': facts.hostIp,
  };
  if (!(ref.fieldPath in fields)) throw new PodInputError(`fieldRef ${ref.fieldPath} is not supported by the test bed`);
  return fields[ref.fieldPath] ?? '';
}

async function configMapData(core: CoreV1Api, namespace: string, name: string, optional: boolean | undefined) {
  try {
    const cm = await core.readNamespacedConfigMap({ name, namespace });
    return { ...cm.data, ...Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()])) };
  } catch (error) {
    if (optional) return {};
    throw new PodInputError(`configmap "${name}" not found in ${namespace}`, { cause: error });
  }
}

async function secretData(core: CoreV1Api, namespace: string, name: string, optional: boolean | undefined) {
  try {
    const secret = await core.readNamespacedSecret({ name, namespace });
    const out: Record<string, string> = { ...secret.stringData };
    for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString();
    return out;
  } catch (error) {
    if (optional) return {};
    throw new PodInputError(`secret "${name}" not found in ${namespace}`, { cause: error });
  }
}

/** Expands $(VAR) references as Kubernetes does; $$(VAR) escapes. */
export function expandVars(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) =>
    name === undefined ? '$' : (env[name] ?? match),
  );
}

export async function containerEnv(core: CoreV1Api, facts: PodFacts, container: V1Container): Promise<Record<string, string>> {
  const ns = facts.pod.metadata?.namespace ?? 'default';
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/root',
    HOSTNAME: facts.pod.metadata?.name ?? '',
    KUBERNETES_SERVICE_HOST: KUBERNETES_SERVICE_IP,
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
  };
  for (const from of container.envFrom ?? []) {
    const data = from.configMapRef
      ? await configMapData(core, ns, from.configMapRef.name ?? '', from.configMapRef.optional)
      : from.secretRef
        ? await secretData(core, ns, from.secretRef.name ?? '', from.secretRef.optional)
        : {};
    for (const [k, v] of Object.entries(data)) env[(from.prefix ?? '') + k] = v;
  }
  for (const item of container.env ?? []) {
    const from = item.valueFrom;
    if (!from) env[item.name] = expandVars(item.value ?? '', env);
    else if (from.fieldRef) env[item.name] = field(facts, from.fieldRef);
    else if (from.secretKeyRef) {
      const ref = from.secretKeyRef;
      const value = (await secretData(core, ns, ref.name ?? '', ref.optional))[ref.key];
      if (value === undefined && !ref.optional) throw new PodInputError(`secret "${ref.name}" has no key "${ref.key}"`);
      if (value !== undefined) env[item.name] = value;
    } else if (from.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const value = (await configMapData(core, ns, ref.name ?? '', ref.optional))[ref.key];
      if (value === undefined && !ref.optional) throw new PodInputError(`configmap "${ref.name}" has no key "${ref.key}"`);
      if (value !== undefined) env[item.name] = value;
    } else throw new PodInputError(`env ${item.name}: only value, fieldRef, secretKeyRef and configMapKeyRef are supported`);
  }
  return env;
}

async function writeItems(dir: string, data: Record<string, string>, items: readonly { key: string; path: string }[] | undefined, mode = 0o644) {
  const entries = items?.length ? items.map((i) => [i.path, data[i.key] ?? ''] as const) : Object.entries(data);
  for (const [path, content] of entries) {
    const file = join(dir, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content, { mode });
  }
}

async function serviceAccountToken(core: CoreV1Api, pod: V1Pod, audience: string | undefined, expirationSeconds: number | undefined) {
  const response = await core.createNamespacedServiceAccountToken({
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
  return response.status?.token ?? '';
}

/** Writes one volume's contents to `dir` (emptyDir: just the directory). Returns the host path to mount. */
export async function materializeVolume(core: CoreV1Api, facts: PodFacts, volume: V1Volume, dir: string): Promise<string> {
  const ns = facts.pod.metadata?.namespace ?? 'default';
  if (volume.hostPath) return volume.hostPath.path;
  await mkdir(dir, { recursive: true });
  if (volume.configMap) {
    const cm = volume.configMap;
    await writeItems(dir, await configMapData(core, ns, cm.name ?? '', cm.optional), cm.items);
  } else if (volume.secret) {
    const s = volume.secret;
    await writeItems(dir, await secretData(core, ns, s.secretName ?? '', s.optional), s.items, 0o600);
  } else if (volume.downwardAPI) {
    const data = Object.fromEntries((volume.downwardAPI.items ?? []).map((i) => [i.path, i.fieldRef ? field(facts, i.fieldRef) : '']));
    await writeItems(dir, data, undefined);
  } else if (volume.projected) {
    for (const source of volume.projected.sources ?? []) {
      if (source.serviceAccountToken) {
        const t = source.serviceAccountToken;
        await writeItems(dir, { [t.path]: await serviceAccountToken(core, facts.pod, t.audience, t.expirationSeconds) }, undefined, 0o600);
      } else if (source.configMap) {
        await writeItems(dir, await configMapData(core, ns, source.configMap.name ?? '', source.configMap.optional), source.configMap.items);
      } else if (source.secret) {
        await writeItems(dir, await secretData(core, ns, source.secret.name ?? '', source.secret.optional), source.secret.items, 0o600);
      } else if (source.downwardAPI) {
        const data = Object.fromEntries((source.downwardAPI.items ?? []).map((i) => [i.path, i.fieldRef ? field(facts, i.fieldRef) : '']));
        await writeItems(dir, data, undefined);
      }
    }
  } else if (!volume.emptyDir) {
    throw new PodInputError(`volume ${volume.name}: only configMap, secret, emptyDir, projected, downwardAPI and hostPath are supported`);
  }
  return dir;
}
