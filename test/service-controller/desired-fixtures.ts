/** Listeners, Connectors, Pods and Services as the service-controller's caches hold them. */
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import type { Connector, ConnectorSpec, Listener, ListenerSpec } from '../../common/src/kube-api/types.js';

export function listener(name: string, spec: Partial<ListenerSpec> & Record<string, unknown>, annotations?: Record<string, string>): Listener {
  return {
    apiVersion: 'skupper.io/v2alpha1',
    kind: 'Listener',
    metadata: { name, namespace: 'west', uid: `uid-${name}`, generation: 2, ...(annotations ? { annotations } : {}) },
    spec: { routingKey: name, host: name, port: 8080, ...spec } as ListenerSpec,
  };
}

export function connector(name: string, spec: Partial<ConnectorSpec> & Record<string, unknown>): Connector {
  return {
    apiVersion: 'skupper.io/v2alpha1',
    kind: 'Connector',
    metadata: { name, namespace: 'west', uid: `uid-${name}`, generation: 3 },
    spec: { routingKey: name, port: 8080, ...spec } as ConnectorSpec,
  };
}

export interface PodState {
  labels?: Record<string, string>;
  ip?: string;
  phase?: string;
  ready?: boolean;
  terminating?: boolean;
}

export function pod(name: string, state: PodState = {}): V1Pod {
  return {
    metadata: { name, namespace: 'west', labels: state.labels ?? { app: 'hello' }, ...(state.terminating ? { deletionTimestamp: new Date(0) } : {}) },
    status: {
      phase: state.phase ?? 'Running',
      ...(state.ip === '' ? {} : { podIP: state.ip ?? `10.244.1.${name.length}` }),
      conditions: [{ type: 'Ready', status: state.ready === false ? 'False' : 'True' }],
    },
  };
}

/** A Service Skiff made for `host`, recording router ports by service port. */
export function skiffService(host: string, ports: Record<number, number>): V1Service {
  return {
    metadata: { name: host, namespace: 'west', labels: { 'skiff.io/listener-service': host } },
    spec: { ports: Object.entries(ports).map(([port, target]) => ({ port: Number(port), targetPort: target })) },
  };
}
