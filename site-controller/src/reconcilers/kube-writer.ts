/**
 * Every write the reconcilers make: server-side apply (field manager `skiff-site-controller`, forced,
 * so a reapply of the same desired object is a no-op and the controller owns its fields), status
 * through the status subresource, and create-once for objects that must never be regenerated.
 * A 409 Conflict is retried a few times at once, then left to the work queue's backoff.
 */
import { ApiException, CoreV1Api, CustomObjectsApi, KubernetesObjectApi, PatchStrategy, setHeaderOptions, type KubeConfig, type KubernetesObject, type V1Secret } from '@kubernetes/client-node';
import { API_VERSION, GROUP, Plural, VERSION, type Kind } from '../../../common/src/kube-api/types.js';

/** What apply takes: any object with a type and a name (client-node's own types spell dates as Date). */
export interface Applied {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

export const FIELD_MANAGER = 'skiff-site-controller';
const CONFLICT_ATTEMPTS = 3;

export function httpStatus(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

async function retryConflicts<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (httpStatus(error) !== 409 || attempt >= CONFLICT_ATTEMPTS) throw error;
    }
  }
}

export class KubeWriter {
  private readonly objects: KubernetesObjectApi;
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;

  constructor(
    kubeConfig: KubeConfig,
    /** Who owns the applied fields: each controller applies under its own name. */
    private readonly fieldManager: string = FIELD_MANAGER,
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  /** Applies a desired object: a built-in (V1… types) or one of Skiff's kinds (common/src/kube-api/types.ts). */
  async apply(object: Applied): Promise<void> {
    const spec = object as KubernetesObject;
    await retryConflicts(() => this.objects.patch(spec, undefined, undefined, this.fieldManager, true, PatchStrategy.ServerSideApply));
  }

  /**
   * Applies `status` of a custom object read with `uid`: the uid makes the write fail rather than land
   * on a newer object of the same name. An object deleted meanwhile is not an error.
   */
  async applyStatus(kind: Kind, object: { metadata: { name: string; namespace?: string; uid?: string } }, status: object): Promise<void> {
    const { name, namespace = '', uid } = object.metadata;
    const body = { apiVersion: API_VERSION, kind, metadata: { name, namespace, ...(uid === undefined ? {} : { uid }) }, status };
    try {
      await retryConflicts(() =>
        this.custom.patchNamespacedCustomObjectStatus(
          { group: GROUP, version: VERSION, namespace, plural: Plural[kind], name, body, fieldManager: this.fieldManager, force: true },
          setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
        ),
      );
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
    }
  }

  /** The Secret as it is in the API, creating it from `make()` only when it does not exist. */
  async secretOnce(namespace: string, name: string, make: () => V1Secret): Promise<V1Secret> {
    try {
      return await this.core.readNamespacedSecret({ namespace, name });
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
    }
    try {
      return await this.core.createNamespacedSecret({ namespace, body: make() });
    } catch (error) {
      if (httpStatus(error) !== 409) throw error;
      return this.core.readNamespacedSecret({ namespace, name });
    }
  }

  async deleteIfExists(object: Applied): Promise<void> {
    try {
      await this.objects.delete(object as KubernetesObject);
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
    }
  }
}
