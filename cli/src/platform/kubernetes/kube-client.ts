/**
 * The Kubernetes calls the CLI makes, in one namespace, each failure mapped to a CliError that
 * names the verb and resource (kube-errors.ts). skupper.io kinds go through the custom objects
 * API; other kinds are listed generically (delete's wait, debug dump).
 */
import { ApiException, CoreV1Api, CustomObjectsApi, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { apiClient } from '../../../../common/src/kube-api/api-client.js';
import { GROUP, Plural, VERSION, type Kind, type ObjectMeta } from '../../../../common/src/kube-api/types.js';
import type { CliError } from '../../errors.js';
import { kubeError, resourceMissing, type KubeAction } from './kube-errors.js';
import type { KubeTarget } from './kube-target.js';

export interface SkupperObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

/** A kind listed by apiVersion and kind, with its RBAC resource name for error messages. */
export interface ListedKind {
  apiVersion: string;
  kind: string;
  resource: string;
}

export class KubeClient {
  readonly namespace: string;
  private readonly custom: CustomObjectsApi;
  private readonly objects: KubernetesObjectApi;
  readonly core: CoreV1Api;

  constructor(readonly target: KubeTarget) {
    this.namespace = target.namespace;
    this.custom = apiClient(target.kc, CustomObjectsApi);
    this.core = apiClient(target.kc, CoreV1Api);
    this.objects = apiClient(target.kc, KubernetesObjectApi);
  }

  /** The object, or undefined when there is none of that name. */
  async get<T extends SkupperObject>(kind: Kind, name: string): Promise<T | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({ ...this.path(kind), name })) as T;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404 && !resourceMissing(error)) return undefined;
      throw this.error(error, { verb: 'get', resource: resourceOf(kind), namespace: this.namespace, name });
    }
  }

  async list<T extends SkupperObject>(kind: Kind, labelSelector?: string): Promise<T[]> {
    return this.call({ verb: 'list', resource: resourceOf(kind), namespace: this.namespace }, async () => {
      const list = (await this.custom.listNamespacedCustomObject({ ...this.path(kind), ...(labelSelector === undefined ? {} : { labelSelector }) })) as { items: T[] };
      return list.items;
    });
  }

  /** Creates the object; `onConflict` says what an existing one of that name means. */
  async create<T extends SkupperObject>(kind: Kind, body: T, onConflict: () => CliError): Promise<T> {
    try {
      return (await this.custom.createNamespacedCustomObject({ ...this.path(kind), body })) as T;
    } catch (error) {
      if (error instanceof ApiException && error.code === 409) throw onConflict();
      throw this.error(error, { verb: 'create', resource: resourceOf(kind), namespace: this.namespace, name: body.metadata.name });
    }
  }

  /** Deletes the object; false when there was none. */
  async delete(kind: Kind, name: string): Promise<boolean> {
    try {
      await this.custom.deleteNamespacedCustomObject({ ...this.path(kind), name, propagationPolicy: 'Background' });
      return true;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404 && !resourceMissing(error)) return false;
      throw this.error(error, { verb: 'delete', resource: resourceOf(kind), namespace: this.namespace, name });
    }
  }

  /** Objects of any kind in the namespace (`resource` only names it in errors). */
  async listAny(kind: ListedKind, labelSelector?: string): Promise<KubernetesObject[]> {
    return this.call({ verb: 'list', resource: kind.resource, namespace: this.namespace }, async () => {
      const list = await this.objects.list(kind.apiVersion, kind.kind, this.namespace, undefined, undefined, undefined, undefined, labelSelector);
      return list.items;
    });
  }

  /** Runs one API call, mapping its failure. */
  async call<T>(action: KubeAction, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.error(error, action);
    }
  }

  private error(error: unknown, action: KubeAction): CliError {
    return kubeError(error, action, this.target.server);
  }

  private path(kind: Kind): { group: string; version: string; namespace: string; plural: string } {
    return { group: GROUP, version: VERSION, namespace: this.namespace, plural: Plural[kind] };
  }
}

export function resourceOf(kind: Kind): string {
  return `${Plural[kind]}.${GROUP}`;
}
