import type { V1Deployment, V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { exposureConnectors, exposureListeners, type Exposure } from '../../common/src/kube-api/exposure.js';
import { annotatedExposure, type AnnotationAnswer } from '../../service-controller/src/annotations/annotated-exposure.js';
import { ownedByAnnotation, sameObject, toOwner } from '../../service-controller/src/annotations/owned-objects.js';

function deployment(annotations: Record<string, string>, ports: number[] = [8080]): V1Deployment {
  return {
    metadata: { name: 'hello', namespace: 'east', uid: 'd-1', annotations },
    spec: {
      selector: { matchLabels: { app: 'hello' } },
      template: { spec: { containers: [{ name: 'hello', image: 'hello', ports: ports.map((containerPort) => ({ containerPort })) }] } },
    },
  };
}

function exposureOf(answer: AnnotationAnswer): Exposure {
  if (answer.type !== 'exposure') throw new Error(`expected an exposure, got ${JSON.stringify(answer)}`);
  return answer.exposure;
}

describe('annotations - what skupper.io/* asks for', () => {
  it('nothing without skupper.io/proxy', () => {
    expect(annotatedExposure('Deployment', deployment({ 'skupper.io/port': '8080' }), [])).toEqual({ type: 'none' });
  });

  it("a Deployment: its pods by its selector, address = its name, ports = its containers', owned by it", () => {
    const exposure = exposureOf(annotatedExposure('Deployment', deployment({ 'skupper.io/proxy': 'tcp' }), []));
    expect(exposure).toEqual({
      namespace: 'east',
      address: 'hello',
      ports: [{ port: 8080, targetPort: 8080 }],
      target: { selector: 'app=hello' },
      exposedBy: 'annotation',
      takeOverService: false,
      owner: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello', uid: 'd-1', controller: true },
    });
  });

  it('skupper.io/address and skupper.io/port p:t,… as given', () => {
    const exposure = exposureOf(annotatedExposure('StatefulSet', deployment({ 'skupper.io/proxy': 'tcp', 'skupper.io/address': 'greet', 'skupper.io/port': '80:8080,9090' }), []));
    expect([exposure.address, exposure.ports, exposure.owner?.kind]).toEqual([
      'greet',
      [
        { port: 80, targetPort: 8080 },
        { port: 9090, targetPort: 9090 },
      ],
      'StatefulSet',
    ]);
    expect(exposureListeners(exposure).map((l) => l.metadata.name)).toEqual(['greet-80', 'greet-9090']);
  });

  it('a Service under its own name is taken over: its own pods and target ports, a named target port from the pods', () => {
    const service: V1Service = {
      metadata: { name: 'web', namespace: 'east', uid: 's-1', annotations: { 'skupper.io/proxy': 'tcp' } },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
    };
    const pods: V1Pod[] = [
      { metadata: { name: 'other', labels: { app: 'db' } }, spec: { containers: [{ name: 'db', ports: [{ name: 'http', containerPort: 1 }] }] } },
      { metadata: { name: 'web-1', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8081 }] }] } },
    ];
    const exposure = exposureOf(annotatedExposure('Service', service, pods));
    expect([exposure.target, exposure.ports, exposure.takeOverService, exposure.owner?.apiVersion]).toEqual([{ selector: 'app=web' }, [{ port: 80, targetPort: 8081 }], true, 'v1']);
    const renamed = exposureOf(annotatedExposure('Service', { ...service, metadata: { ...service.metadata, annotations: { 'skupper.io/proxy': 'tcp', 'skupper.io/address': 'web2' } } }, pods));
    expect(renamed.takeOverService).toBe(false);
  });

  it.each([
    [{ 'skupper.io/port': '80x' }, 'skupper.io/port', '80x', "'80x' is not a port or port:targetPort"],
    [{ 'skupper.io/port': '70000' }, 'skupper.io/port', '70000', '70000 is not a port (1-65535)'],
    [{ 'skupper.io/proxy': 'http' }, 'skupper.io/proxy', 'http', 'Skiff carries TCP only'],
    [{ 'skupper.io/address': 'Not_A_Label' }, 'skupper.io/address', 'Not_A_Label', 'the address is not a DNS label (it names a Service on every site)'],
  ])('a bad annotation is a problem naming it, its value and the fix: %j', (extra, annotation, value, problem) => {
    const answer = annotatedExposure('Deployment', deployment({ 'skupper.io/proxy': 'tcp', ...extra }), []);
    expect(answer).toMatchObject({ type: 'problem', problem: { annotation, value, problem } });
    expect(answer.type === 'problem' && answer.problem.fix).toBeTruthy();
  });

  it('no ports to default to is a problem asking for skupper.io/port', () => {
    const answer = annotatedExposure('Deployment', deployment({ 'skupper.io/proxy': 'tcp' }, []), []);
    expect(answer).toMatchObject({ type: 'problem', problem: { annotation: 'skupper.io/port', problem: 'Deployment hello declares no TCP ports to default to' } });
  });
});

describe('annotations - what an annotated object owns', () => {
  const exposure = exposureOf(annotatedExposure('Deployment', deployment({ 'skupper.io/proxy': 'tcp' }), []));
  const [listener] = exposureListeners(exposure);
  const [connector] = exposureConnectors(exposure);

  it('owns what carries exposed-by=annotation and its owner reference; events lead back to it', () => {
    expect(ownedByAnnotation(listener!, 'Deployment', 'hello')).toBe(true);
    expect(ownedByAnnotation(listener!, 'StatefulSet', 'hello')).toBe(false);
    const cli = { ...connector!, metadata: { ...connector!.metadata, labels: { ...connector!.metadata.labels, 'skiff.io/exposed-by': 'skiff-cli' } } };
    expect(ownedByAnnotation(cli, 'Deployment', 'hello')).toBe(false);
    expect(toOwner('Deployment')(listener!)).toEqual([{ namespace: 'east', name: 'hello' }]);
    expect(toOwner('Service')(listener!)).toEqual([]);
  });

  it('an object as desired is not written again, whatever the order of its fields; a changed port is', () => {
    const reordered = { ...listener!, spec: { port: 8080, host: 'hello', routingKey: 'hello' }, metadata: { ...listener!.metadata, labels: { extra: 'x', ...listener!.metadata.labels } } };
    expect(sameObject(reordered, listener!)).toBe(true);
    expect(sameObject({ ...listener!, spec: { ...listener!.spec!, port: 9090 } }, listener!)).toBe(false);
    expect(sameObject(connector!, listener!)).toBe(false);
  });
});
