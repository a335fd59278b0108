/**
 * What a container is given besides its command, resolved from the API the way kubelet does:
 * environment variables (downward API fields, Secret and ConfigMap keys) and the reads that
 * volumes share (pod-volumes.ts).
 */
import type { CoreV1Api, V1Container, V1ObjectFieldSelector, V1Pod } from '@kubernetes/client-node';
import { podHostname } from './cluster-dns.js';
import { KUBERNETES_SERVICE_IP } from './control-plane.js';

export class PodInputError extends Error {
  override readonly name = 'PodInputError';
}

export interface PodFacts {
  pod: V1Pod;
  podIp: string;
  hostIp: string;
}

export function field(facts: PodFacts, ref: V1ObjectFieldSelector): string {
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

/** An object's data and the resourceVersion it was read at (undefined: optional and absent). */
export interface SourceData {
  data: Record<string, string>;
  version: string | undefined;
}

export async function configMapData(core: CoreV1Api, namespace: string, name: string, optional: boolean | undefined): Promise<SourceData> {
  try {
    const cm = await core.readNamespacedConfigMap({ name, namespace });
    const binary = Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]);
    return { data: { ...cm.data, ...Object.fromEntries(binary) }, version: cm.metadata?.resourceVersion };
  } catch (error) {
    if (optional) return { data: {}, version: undefined };
    throw new PodInputError(`configmap "${name}" not found in ${namespace}`, { cause: error });
  }
}

export async function secretData(core: CoreV1Api, namespace: string, name: string, optional: boolean | undefined): Promise<SourceData> {
  try {
    const secret = await core.readNamespacedSecret({ name, namespace });
    const data: Record<string, string> = { ...secret.stringData };
    for (const [k, v] of Object.entries(secret.data ?? {})) data[k] = Buffer.from(v, 'base64').toString();
    return { data, version: secret.metadata?.resourceVersion };
  } catch (error) {
    if (optional) return { data: {}, version: undefined };
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
    HOSTNAME: podHostname(facts.pod),
    KUBERNETES_SERVICE_HOST: KUBERNETES_SERVICE_IP,
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
  };
  for (const from of container.envFrom ?? []) {
    const { data } = from.configMapRef
      ? await configMapData(core, ns, from.configMapRef.name ?? '', from.configMapRef.optional)
      : from.secretRef
        ? await secretData(core, ns, from.secretRef.name ?? '', from.secretRef.optional)
        : { data: {} as Record<string, string> };
    for (const [k, v] of Object.entries(data)) env[(from.prefix ?? '') + k] = v;
  }
  for (const item of container.env ?? []) {
    const from = item.valueFrom;
    if (!from) env[item.name] = expandVars(item.value ?? '', env);
    else if (from.fieldRef) env[item.name] = field(facts, from.fieldRef);
    else if (from.secretKeyRef) {
      const ref = from.secretKeyRef;
      const value = (await secretData(core, ns, ref.name ?? '', ref.optional)).data[ref.key];
      if (value === undefined && !ref.optional) throw new PodInputError(`secret "${ref.name}" has no key "${ref.key}"`);
      if (value !== undefined) env[item.name] = value;
    } else if (from.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const value = (await configMapData(core, ns, ref.name ?? '', ref.optional)).data[ref.key];
      if (value === undefined && !ref.optional) throw new PodInputError(`configmap "${ref.name}" has no key "${ref.key}"`);
      if (value !== undefined) env[item.name] = value;
    } else throw new PodInputError(`env ${item.name}: only value, fieldRef, secretKeyRef and configMapKeyRef are supported`);
  }
  return env;
}
