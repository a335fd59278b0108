/**
 * What Skupper v1's annotations on a Deployment, StatefulSet or Service ask for (ADR 0005):
 * `skupper.io/proxy: tcp` exposes it, `skupper.io/address` names the address (default: the
 * object's name), `skupper.io/port` gives `p` or `p:t,…` (default: the containers' ports, or the
 * Service's own). The answer is the exposure (common/src/kube-api/exposure.ts, owned by the
 * object), nothing, or the problem with the annotation that stands in the way.
 */
import type { V1Deployment, V1Pod, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import {
  containerPortMappings,
  ExposedBy,
  parsePortMappings,
  PortMappingError,
  selectorText,
  serviceOwnTarget,
  servicePortMappings,
  type Exposure,
  type ExposureTarget,
  type PortMapping,
} from '../../../common/src/kube-api/exposure.js';
import { Annotation } from '../../../common/src/kube-api/names.js';
import { matches, parseSelector } from '../desired/label-selector.js';

export type AnnotatedKind = 'Deployment' | 'StatefulSet' | 'Service';

export type AnnotatedObject = V1Deployment | V1StatefulSet | V1Service;

export const ApiVersionOf: Record<AnnotatedKind, string> = { Deployment: 'apps/v1', StatefulSet: 'apps/v1', Service: 'v1' };

/** An annotation whose value Skiff cannot act on: which, its value, what is wrong and what to write instead. */
export interface AnnotationProblem {
  annotation: string;
  value: string;
  problem: string;
  fix: string;
}

export type AnnotationAnswer = { type: 'none' } | { type: 'exposure'; exposure: Exposure } | { type: 'problem'; problem: AnnotationProblem };

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `pods`: the namespace's pods, for a Service whose target ports are container port names. */
export function annotatedExposure(kind: AnnotatedKind, object: AnnotatedObject, pods: readonly V1Pod[]): AnnotationAnswer {
  const annotations = object.metadata?.annotations ?? {};
  const proxy = annotations[Annotation.proxy];
  if (proxy === undefined) return { type: 'none' };
  const name = object.metadata?.name ?? '';
  if (proxy !== 'tcp') return problem(Annotation.proxy, proxy, 'Skiff carries TCP only', `set ${Annotation.proxy}: tcp (HTTP rides TCP unchanged)`);
  const address = annotations[Annotation.v1Address] ?? name;
  if (!DNS_LABEL.test(address)) return problem(Annotation.v1Address, address, 'the address is not a DNS label (it names a Service on every site)', 'lower-case letters, digits and -, starting with a letter');
  const target = targetOf(kind, object, pods);
  if ('problem' in target) return { type: 'problem', problem: target.problem };
  const portText = annotations[Annotation.v1Port];
  let ports: PortMapping[];
  if (portText === undefined) {
    ports = target.defaultPorts;
    if (ports.length === 0) return problem(Annotation.v1Port, '', `${kind} ${name} declares no TCP ports to default to`, `set ${Annotation.v1Port}: PORT (or PORT:TARGETPORT,…)`);
  } else {
    try {
      ports = parsePortMappings(portText);
    } catch (error) {
      if (!(error instanceof PortMappingError)) throw error;
      return problem(Annotation.v1Port, portText, error.message, `write PORT or PORT:TARGETPORT, comma-separated, each 1-65535 (e.g. ${Annotation.v1Port}: "8080" or "80:8080,9090")`);
    }
  }
  const { uid = '' } = object.metadata ?? {};
  return {
    type: 'exposure',
    exposure: {
      namespace: object.metadata?.namespace ?? '',
      address,
      ports,
      target: target.target,
      exposedBy: ExposedBy.annotation,
      takeOverService: kind === 'Service' && address === name,
      owner: { apiVersion: ApiVersionOf[kind], kind, name, uid, controller: true },
    },
  };
}

function problem(annotation: string, value: string, what: string, fix: string): AnnotationAnswer {
  return { type: 'problem', problem: { annotation, value, problem: what, fix } };
}

type Target = { target: ExposureTarget; defaultPorts: PortMapping[] } | { problem: AnnotationProblem };

function targetOf(kind: AnnotatedKind, object: AnnotatedObject, pods: readonly V1Pod[]): Target {
  const name = object.metadata?.name ?? '';
  if (kind !== 'Service') {
    const workload = object as V1Deployment | V1StatefulSet;
    const selector = selectorText(workload.spec?.selector);
    if (selector === '') return { problem: { annotation: Annotation.proxy, value: 'tcp', problem: `${kind} ${name} has an empty selector`, fix: 'give it a selector, or annotate a Service that selects its pods' } };
    return { target: { selector }, defaultPorts: containerPortMappings(workload.spec?.template.spec?.containers ?? []) };
  }
  const own = serviceOwnTarget(object as V1Service);
  // A Service that selects nothing has endpoints of its own: connect to its name.
  if (own.selector === '') return { target: { host: name }, defaultPorts: own.ports.map((p) => ({ port: p.port, targetPort: p.port })) };
  try {
    return { target: { selector: own.selector }, defaultPorts: servicePortMappings(own.ports, namedPortOf(own.selector, pods)) };
  } catch (error) {
    if (!(error instanceof PortMappingError)) throw error;
    return { problem: { annotation: Annotation.v1Port, value: '', problem: error.message, fix: `set ${Annotation.v1Port}: PORT:TARGETPORT with the target port as a number` } };
  }
}

function namedPortOf(selector: string, pods: readonly V1Pod[]): (name: string) => number | undefined {
  const parsed = parseSelector(selector);
  const selected = parsed.ok ? pods.filter((pod) => matches(parsed.requirements, pod.metadata?.labels)) : [];
  return (portName) => selected.flatMap((pod) => pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []).find((p) => p.name === portName)?.containerPort;
}
