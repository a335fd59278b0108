import { describe, expect, test } from 'vitest';
import { desiredBridges } from '../../service-controller/src/desired/bridges.js';
import { planListeners } from '../../service-controller/src/desired/listener-plan.js';
import { allocateRouterPorts, recordedPorts } from '../../service-controller/src/desired/router-ports.js';
import { connector, listener, skiffService } from './desired-fixtures.js';

describe('service-controller router ports', () => {
  test('router ports - own port when free, reserved ports never, the lowest free from 1024 otherwise, in name order', () => {
    const ports = allocateRouterPorts([
      { name: 'b', host: 'b', port: 8080 },
      { name: 'a', host: 'a', port: 8080 },
      { name: 'health', host: 'h', port: 9090 },
      { name: 'mgmt', host: 'm', port: 5672 },
      { name: 'c', host: 'c', port: 1024 },
    ], new Map());
    expect(Object.fromEntries(ports)).toEqual({ a: 8080, b: 1025, c: 1024, health: 1026, mgmt: 1027 });
  });

  test('router ports - the port a Service records is kept, whatever Listener sorts before it later', () => {
    const recorded = recordedPorts([skiffService('z', { 8080: 8080 }), { metadata: { name: 'other', labels: {} }, spec: { ports: [{ port: 1, targetPort: 2000 }] } }]);
    expect([...recorded]).toEqual([['z:8080', 8080]]);
    const ports = allocateRouterPorts([{ name: 'a-new', host: 'a', port: 8080 }, { name: 'z', host: 'z', port: 8080 }], recorded);
    expect(Object.fromEntries(ports)).toEqual({ z: 8080, 'a-new': 1024 });
  });

  test('router ports - a recorded port that is reserved is not reused', () => {
    const ports = allocateRouterPorts([{ name: 'x', host: 'x', port: 80 }], new Map([['x:80', 5672]]));
    expect(ports.get('x')).toBe(80);
  });
});

describe('service-controller listener plan', () => {
  test('listener plan - bad specs named, the later (in name order) of two Listeners on one host and port refused, the rest given ports', () => {
    const plans = planListeners([
      listener('b-second', { host: 'web', port: 8080 }),
      listener('a-first', { host: 'web', port: 8080 }),
      listener('bad', { port: 70000 }),
      listener('keyless', { routingKey: '' }),
    ], []);
    expect(plans.get('a-first')).toMatchObject({ problem: undefined, routerPort: 8080 });
    expect(plans.get('b-second')).toMatchObject({ problem: 'spec.port 8080 of host web is already served by Listener a-first: use another port or host', routerPort: undefined });
    expect(plans.get('bad')).toMatchObject({ problem: 'spec.port is 70000: it must be a port number 1-65535', routerPort: undefined });
    expect(plans.get('keyless')?.problem).toMatch(/^spec\.routingKey is empty/);
  });
});

describe('service-controller desired bridges', () => {
  test('desired bridges - a tcpListener per valid Listener on its router port, a tcpConnector per selected pod or host', () => {
    const plans = planListeners([listener('hello', { routingKey: 'hello-key' }), listener('bad', { port: 0 })], []);
    const entities = desiredBridges(plans.values(), [
      { connector: connector('db', { host: 'db.example', port: 5432 }), pods: [] },
      { connector: connector('hello', { selector: 'app=hello', routingKey: 'hello-key' }), pods: [{ name: 'p1', ip: '10.244.1.5' }, { name: 'p2', ip: '10.244.1.6' }] },
    ]);
    expect(entities).toEqual([
      { type: 'tcpConnector', name: 'db@db.example:5432', attributes: { name: 'db@db.example:5432', host: 'db.example', port: '5432', address: 'db' } },
      { type: 'tcpConnector', name: 'hello@10.244.1.5:8080', attributes: { name: 'hello@10.244.1.5:8080', host: '10.244.1.5', port: '8080', address: 'hello-key' } },
      { type: 'tcpConnector', name: 'hello@10.244.1.6:8080', attributes: { name: 'hello@10.244.1.6:8080', host: '10.244.1.6', port: '8080', address: 'hello-key' } },
      { type: 'tcpListener', name: 'hello@0.0.0.0:8080', attributes: { name: 'hello@0.0.0.0:8080', host: '0.0.0.0', port: '8080', address: 'hello-key' } },
    ]);
  });
});
