/**
 * A Connector's status (ADR 0005): Configured (a valid spec; `selectedPods`; a selector that matches
 * no pod is Configured, with a note saying so), Matched (`hasMatchingListener`: some site in the
 * network has a Listener for the routing key).
 */
import type { NetworkStatus } from '../../../common/src/kube-api/network-status.js';
import { ConditionType, type Connector, type ConnectorStatus, type SelectedPod } from '../../../common/src/kube-api/types.js';
import { failed, ok, okWithNote, pending, summarize, supported, type ConditionState } from '../../../site-controller/src/desired/conditions.js';
import { counterparts } from './network-bindings.js';
import { connectorProblem } from './spec-problems.js';
import { unsupportedConnectorFields } from './unsupported-fields.js';

export const NoMatchingPods = 'NoMatchingPods';

export interface ConnectorObservations {
  connector: Connector;
  pods: readonly SelectedPod[];
  network: NetworkStatus | undefined;
  now: Date;
}

function configured(connector: Connector, pods: readonly SelectedPod[]): ConditionState {
  const problem = connectorProblem(connector);
  if (problem !== undefined) return failed(ConditionType.Configured, problem);
  const selector = connector.spec?.selector ?? '';
  if (selector !== '' && pods.length === 0) {
    const which = connector.spec?.includeNotReadyPods === true ? 'running pod' : 'running, ready pod';
    return okWithNote(
      ConditionType.Configured,
      NoMatchingPods,
      `No ${which} in namespace ${connector.metadata.namespace ?? ''} matches spec.selector '${selector}': check the selector against the pods' labels (kubectl get pods -l '${selector}')`,
    );
  }
  return ok(ConditionType.Configured);
}

export function connectorStatus(o: ConnectorObservations): ConnectorStatus {
  const { connector } = o;
  const routingKey = connector.spec?.routingKey ?? '';
  const hasMatchingListener = routingKey !== '' && counterparts(o.network, routingKey).hasListener;
  const matched = hasMatchingListener ? ok(ConditionType.Matched) : pending(ConditionType.Matched, `No matching listeners: no site in the network has a Listener with routing key '${routingKey}' yet`);
  const required = [configured(connector, o.pods), matched];
  const status: ConnectorStatus = summarize(required, [supported(unsupportedConnectorFields(connector))], connector.status?.conditions, connector.metadata.generation ?? 0, o.now);
  return { ...status, selectedPods: [...o.pods], hasMatchingListener };
}
