import { describe, expect, it } from 'vitest';
import {
  containerPortMappings,
  exposureConnectors,
  exposureListeners,
  parsePortMappings,
  PortMappingError,
  selectorText,
  serviceOwnTarget,
  servicePortMappings,
  type Exposure,
} from '../../common/src/kube-api/exposure.js';

const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello', uid: 'u-1', controller: true };

describe('exposure - the Listeners and Connectors of a v1-style exposure', () => {
  it('one port: objects named after the address, routing key = the address, as local sites use it', () => {
    const exposure: Exposure = { namespace: 'east', address: 'hello', ports: [{ port: 8080, targetPort: 8081 }], target: { selector: 'app=hello' }, exposedBy: 'skiff-cli' };
    expect(exposureListeners(exposure)).toEqual([
      {
        apiVersion: 'skupper.io/v2alpha1',
        kind: 'Listener',
        metadata: {
          name: 'hello',
          namespace: 'east',
          labels: {
            'app.kubernetes.io/part-of': 'skiff',
            'app.kubernetes.io/managed-by': 'skiff-cli',
            'skiff.io/service-sync': 'announce',
            'skiff.io/address': 'hello',
            'skiff.io/exposed-by': 'skiff-cli',
          },
        },
        spec: { routingKey: 'hello', host: 'hello', port: 8080 },
      },
    ]);
    expect(exposureConnectors(exposure)).toEqual([
      {
        apiVersion: 'skupper.io/v2alpha1',
        kind: 'Connector',
        metadata: {
          name: 'hello',
          namespace: 'east',
          labels: { 'app.kubernetes.io/part-of': 'skiff', 'app.kubernetes.io/managed-by': 'skiff-cli', 'skiff.io/address': 'hello', 'skiff.io/exposed-by': 'skiff-cli' },
        },
        spec: { routingKey: 'hello', port: 8081, selector: 'app=hello' },
      },
    ]);
  });

  it('several ports: A-p names and A:p routing keys (as Skupper v1), one Connector per port to its target port', () => {
    const exposure: Exposure = {
      namespace: 'east',
      address: 'db',
      ports: [
        { port: 5432, targetPort: 5432 },
        { port: 9187, targetPort: 9000 },
      ],
      target: { host: 'db.internal' },
      exposedBy: 'annotation',
      owner,
    };
    const listeners = exposureListeners(exposure);
    expect(listeners.map((l) => [l.metadata.name, l.spec])).toEqual([
      ['db-5432', { routingKey: 'db:5432', host: 'db', port: 5432 }],
      ['db-9187', { routingKey: 'db:9187', host: 'db', port: 9187 }],
    ]);
    const connectors = exposureConnectors(exposure);
    expect(connectors.map((c) => [c.metadata.name, c.spec])).toEqual([
      ['db-5432', { routingKey: 'db:5432', port: 5432, host: 'db.internal' }],
      ['db-9187', { routingKey: 'db:9187', port: 9000, host: 'db.internal' }],
    ]);
    for (const object of [...listeners, ...connectors]) {
      expect(object.metadata.ownerReferences).toEqual([owner]);
      expect(object.metadata.labels).toMatchObject({ 'skiff.io/exposed-by': 'annotation', 'app.kubernetes.io/managed-by': 'skiff-service-controller', 'skiff.io/address': 'db' });
    }
    expect(connectors.every((c) => c.metadata.labels?.['skiff.io/service-sync'] === undefined)).toBe(true);
  });

  it('no target: Listeners only; a take-over asks for it on the Listener', () => {
    const exposure: Exposure = { namespace: 'east', address: 'web', ports: [{ port: 80, targetPort: 8080 }], exposedBy: 'skiff-cli', takeOverService: true };
    expect(exposureConnectors(exposure)).toEqual([]);
    expect(exposureListeners(exposure)[0]?.metadata.annotations).toEqual({ 'skiff.io/take-over-service': 'true' });
  });
});

describe('exposure - port lists', () => {
  it('parses p and p:t, comma-separated', () => {
    expect(parsePortMappings('8080')).toEqual([{ port: 8080, targetPort: 8080 }]);
    expect(parsePortMappings('8080:9090, 9000')).toEqual([
      { port: 8080, targetPort: 9090 },
      { port: 9000, targetPort: 9000 },
    ]);
  });

  it.each([
    ['', "'' is not a port or port:targetPort"],
    ['http', "'http' is not a port or port:targetPort"],
    ['8080:', "'8080:' is not a port or port:targetPort"],
    ['-1', "'-1' is not a port or port:targetPort"],
    ['0', '0 is not a port (1-65535)'],
    ['70000', '70000 is not a port (1-65535)'],
    ['8080:65536', '65536 is not a port (1-65535)'],
    ['8080,8080:9090', 'port 8080 is given twice'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => parsePortMappings(text)).toThrow(new PortMappingError(message));
  });

  it("defaults from a workload's containers: TCP ports, once each", () => {
    const containers = [{ ports: [{ containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }] }, {}, { ports: [{ containerPort: 9090, protocol: 'TCP' }, { containerPort: 8080 }] }];
    expect(containerPortMappings(containers)).toEqual([
      { port: 8080, targetPort: 8080 },
      { port: 9090, targetPort: 9090 },
    ]);
  });

  it("defaults from a Service's ports: numeric, absent and named target ports", () => {
    const named = (name: string): number | undefined => (name === 'http' ? 8081 : undefined);
    expect(
      servicePortMappings(
        [
          { port: 80, targetPort: 8080 },
          { port: 81 },
          { port: 82, targetPort: 'http' },
          { port: 83, targetPort: '8083' },
          { port: 53, protocol: 'UDP' },
        ],
        named,
      ),
    ).toEqual([
      { port: 80, targetPort: 8080 },
      { port: 81, targetPort: 81 },
      { port: 82, targetPort: 8081 },
      { port: 83, targetPort: 8083 },
    ]);
    expect(() => servicePortMappings([{ port: 80, targetPort: 'web' }], named)).toThrow("target port 'web' of port 80 names no container port of the Service's pods");
  });

  it('turns a workload selector into selector text: labels in key order, then expressions', () => {
    expect(selectorText({ matchLabels: { tier: 'web', app: 'hello' } })).toBe('app=hello,tier=web');
    expect(
      selectorText({
        matchLabels: { app: 'db' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a', 'b'] },
          { key: 'zone', operator: 'NotIn', values: ['x'] },
          { key: 'ready', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=db,env in (a,b),zone notin (x),ready,!legacy');
    expect(selectorText(undefined)).toBe('');
  });

  it("reads a Service's own selector and ports, from the saved annotations while it is taken over", () => {
    const own = { spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } };
    expect(serviceOwnTarget(own)).toEqual({ selector: 'app=web', ports: [{ port: 80, targetPort: 8080 }] });
    const takenOver = {
      metadata: { annotations: { 'skiff.io/original-selector': JSON.stringify({ app: 'web' }), 'skiff.io/original-ports': JSON.stringify([{ port: 80, targetPort: 8080 }]) } },
      spec: { selector: { 'app.kubernetes.io/name': 'skupper-router' }, ports: [{ port: 80, targetPort: 1024 }] },
    };
    expect(serviceOwnTarget(takenOver)).toEqual(serviceOwnTarget(own));
    expect(serviceOwnTarget({ spec: { ports: [{ port: 5432 }] } }).selector).toBe('');
  });
});
