/**
 * Kubernetes Events on the objects users annotate: what `kubectl describe` shows them when an
 * annotation cannot be acted on. Recording is best effort: a refused Event is said in the log line.
 */
import { CoreV1Api, type KubeConfig, type V1ObjectReference } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { describeError } from '../../../site-controller/src/runtime/api-errors.js';
import { SERVICE_CONTROLLER } from '../settings.js';

export class ObjectEvents {
  private readonly core: CoreV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  /** Records a Warning; resolves to why it could not be recorded, or undefined. */
  async warn(object: Required<Pick<V1ObjectReference, 'apiVersion' | 'kind' | 'name' | 'namespace'>> & { uid?: string }, reason: string, message: string): Promise<string | undefined> {
    const now = new Date();
    try {
      await this.core.createNamespacedEvent({
        namespace: object.namespace,
        body: {
          metadata: { name: `${object.name}.${randomBytes(8).toString('hex')}`, namespace: object.namespace },
          involvedObject: object,
          reason,
          message,
          type: 'Warning',
          source: { component: SERVICE_CONTROLLER },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      });
      return undefined;
    } catch (error) {
      return describeError(error);
    }
  }
}
