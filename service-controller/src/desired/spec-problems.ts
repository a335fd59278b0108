/**
 * What is wrong with a Listener's or Connector's spec (ADR 0005), as the message of Configured=False:
 * each names the field and what to put there. Undefined when nothing is.
 */
import type { Connector, Listener } from '../../../common/src/kube-api/types.js';
import { parseSelector } from './label-selector.js';

/** RFC 1035 label: what a Service name (a Listener's host) may be. */
const SERVICE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

function portProblem(port: unknown): string | undefined {
  if (port === undefined || port === null) return 'spec.port is missing: set it to a port number 1-65535';
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return `spec.port is ${JSON.stringify(port)}: it must be a port number 1-65535`;
  }
  return undefined;
}

function routingKeyProblem(routingKey: unknown): string | undefined {
  if (typeof routingKey !== 'string' || routingKey.trim() === '') {
    return 'spec.routingKey is empty: set it to the address Listeners and Connectors of the service share (e.g. backend)';
  }
  return undefined;
}

function typeProblem(type: unknown): string | undefined {
  if (type === undefined || type === '' || type === 'tcp') return undefined;
  return `spec.type is ${JSON.stringify(type)}: Skiff carries tcp only; remove it or set it to tcp`;
}

export function listenerProblem(listener: Listener): string | undefined {
  const spec = listener.spec;
  if (spec === undefined) return 'spec is missing: a Listener needs routingKey, host and port';
  const host = spec.host as unknown;
  const hostProblem =
    typeof host !== 'string' || host === ''
      ? 'spec.host is empty: set it to the name of the Service clients here connect to'
      : !SERVICE_NAME.test(host)
        ? `spec.host '${host}' is not a Service name (lower-case letters, digits and '-', starting with a letter, at most 63)`
        : undefined;
  return routingKeyProblem(spec.routingKey) ?? hostProblem ?? portProblem(spec.port) ?? typeProblem(spec.type);
}

export function connectorProblem(connector: Connector): string | undefined {
  const spec = connector.spec;
  if (spec === undefined) return 'spec is missing: a Connector needs routingKey, port and a selector or a host';
  const hasSelector = typeof spec.selector === 'string' && spec.selector !== '';
  const hasHost = typeof spec.host === 'string' && spec.host !== '';
  let targetProblem: string | undefined;
  if (hasSelector && hasHost) targetProblem = 'spec.selector and spec.host are both set: keep one (selector for pods here, host for anything else)';
  else if (!hasSelector && !hasHost) targetProblem = 'neither spec.selector nor spec.host is set: set selector to the pods\' labels (e.g. app=backend) or host to a host name';
  else if (hasSelector) {
    const parsed = parseSelector(spec.selector ?? '');
    if (!parsed.ok) targetProblem = `spec.selector '${spec.selector ?? ''}' is not a label selector: ${parsed.problem}`;
  }
  return routingKeyProblem(spec.routingKey) ?? targetProblem ?? portProblem(spec.port) ?? typeProblem(spec.type);
}
