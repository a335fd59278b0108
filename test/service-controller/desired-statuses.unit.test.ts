import { describe, expect, test } from 'vitest';
import type { NetworkStatus } from '../../common/src/kube-api/network-status.js';
import { connectorStatus } from '../../service-controller/src/desired/connector-status.js';
import { planListeners } from '../../service-controller/src/desired/listener-plan.js';
import { ownedService } from '../../service-controller/src/desired/listener-service.js';
import { listenerStatus } from '../../service-controller/src/desired/listener-status.js';
import { connectorProblem, listenerProblem } from '../../service-controller/src/desired/spec-problems.js';
import { connector, listener } from './desired-fixtures.js';

const now = new Date('2026-01-01T00:00:00Z');
type Bindings = { routingKey: string; listeners?: string[]; connectors?: string[] }[];
/** `services` on site east; `own` on this site, west (its router's bridges). */
const network = (services: Bindings, own: Bindings = []): NetworkStatus => ({
  siteId: 'w', links: [], sites: [{ id: 'w', name: 'west', services: own }, { id: 'e', name: 'east', services }],
});
/** West's router listens for Listener hello. */
const listening: Bindings = [{ routingKey: 'hello', listeners: ['hello'] }];

describe('service-controller spec problems', () => {
  test('spec problems - each names the field and what to put there', () => {
    expect(listenerProblem(listener('a', { port: 0 }))).toBe('spec.port is 0: it must be a port number 1-65535');
    expect(listenerProblem(listener('a', { port: '80' as unknown as number }))).toBe('spec.port is "80": it must be a port number 1-65535');
    expect(listenerProblem(listener('a', { routingKey: ' ' }))).toMatch(/^spec\.routingKey is empty: set it/);
    expect(listenerProblem(listener('a', { host: 'Not_A_Name' }))).toMatch(/^spec\.host 'Not_A_Name' is not a Service name/);
    expect(listenerProblem(listener('a', { type: 'udp' }))).toMatch(/^spec\.type is "udp": Skiff carries tcp only/);
    expect(listenerProblem(listener('a', {}))).toBeUndefined();
    expect(connectorProblem(connector('c', {}))).toMatch(/^neither spec\.selector nor spec\.host is set/);
    expect(connectorProblem(connector('c', { selector: 'app=x', host: 'x' }))).toMatch(/^spec\.selector and spec\.host are both set: keep one/);
    expect(connectorProblem(connector('c', { selector: 'a b' }))).toMatch(/^spec\.selector 'a b' is not a label selector/);
    expect(connectorProblem(connector('c', { host: 'db', port: 65536 }))).toBe('spec.port is 65536: it must be a port number 1-65535');
    expect(connectorProblem(connector('c', { host: 'db' }))).toBeUndefined();
  });
});

describe('service-controller statuses', () => {
  const plans = planListeners([listener('hello', {}), listener('bad', { port: 70000 })], []);
  const hello = plans.get('hello');
  if (hello === undefined) throw new Error('no plan');
  const service = ownedService('hello', 'west', 'west', [hello]);

  test('listener status - Ready with its Service in place and a Connector somewhere; observedGeneration on every condition', () => {
    const status = listenerStatus({ plan: hello, service, takeOver: false, network: network([{ routingKey: 'hello', connectors: ['hello'] }], listening), now });
    expect(status).toMatchObject({ status: 'Ready', message: 'OK', hasMatchingConnector: true });
    expect(status.conditions?.map((c) => [c.type, c.status])).toEqual([['Configured', 'True'], ['Matched', 'True'], ['Ready', 'True'], ['Supported', 'True']]);
    for (const c of status.conditions ?? []) expect(c.observedGeneration).toBe(2);
  });

  test('listener status - Pending without a matching Connector, while its Service is not in place, or while the router does not listen for it', () => {
    const unmatched = listenerStatus({ plan: hello, service, takeOver: false, network: network([{ routingKey: 'hello', listeners: ['hello'] }], listening), now });
    expect(unmatched).toMatchObject({ status: 'Pending', hasMatchingConnector: false, message: "No matching connectors: no site in the network has a Connector with routing key 'hello' yet" });
    const waiting = listenerStatus({ plan: hello, service: undefined, takeOver: false, network: undefined, now });
    expect(waiting.message).toBe('waiting for Service hello to lead port 8080 to the router');
    // The router has no tcpListener for it (not yet, or it refused one): not Configured, and it says so.
    const notListening = listenerStatus({ plan: hello, service, takeOver: false, network: network([{ routingKey: 'hello', connectors: ['hello'] }]), now });
    expect(notListening.conditions?.find((c) => c.type === 'Configured')).toMatchObject({ status: 'False', reason: 'Pending' });
    expect(notListening.message).toMatch(/^waiting for the router to listen on port 8080 \(if this lasts, the service-controller's log says why/);
  });

  test('listener status - bad spec and Service conflict are errors naming the fix', () => {
    const bad = plans.get('bad');
    if (bad === undefined) throw new Error('no plan');
    expect(listenerStatus({ plan: bad, service: undefined, takeOver: false, network: undefined, now })).toMatchObject({ status: 'Error', message: 'spec.port is 70000: it must be a port number 1-65535' });
    const foreign = { metadata: { name: 'hello' }, spec: { selector: { app: 'x' } } };
    const conflict = listenerStatus({ plan: hello, service: foreign, takeOver: false, network: undefined, now });
    expect(conflict.status).toBe('Error');
    expect(conflict.conditions?.find((c) => c.type === 'Configured')).toMatchObject({ status: 'False', reason: 'ServiceConflict' });
    expect(conflict.message).toMatch(/Service hello exists and Skiff does not own it: .* skiff\.io\/take-over-service: "true"/);
  });

  test('connector status - selectedPods, Matched from a Listener anywhere, unsupported fields named', () => {
    const c = connector('hello', { selector: 'app=hello', tlsCredentials: 'tls', settings: { x: '1' } });
    const status = connectorStatus({ connector: c, pods: [{ name: 'p', ip: '10.244.1.5' }], network: network([{ routingKey: 'hello', listeners: ['hello'] }]), now });
    expect(status).toMatchObject({ status: 'Ready', message: 'OK', selectedPods: [{ name: 'p', ip: '10.244.1.5' }], hasMatchingListener: true });
    expect(status.conditions?.find((x) => x.type === 'Supported')).toMatchObject({ status: 'False', message: 'Skiff does not act on: spec.tlsCredentials, spec.settings.x' });
  });

  test('connector status - a selector that matches nothing is Configured, and the message says so', () => {
    const c = connector('hello', { selector: 'app=nobody' });
    const status = connectorStatus({ connector: c, pods: [], network: network([{ routingKey: 'hello', listeners: ['l'] }]), now });
    expect(status.status).toBe('Ready');
    expect(status.conditions?.find((x) => x.type === 'Configured')).toMatchObject({ status: 'True', reason: 'NoMatchingPods' });
    expect(status.message).toMatch(/^No running, ready pod in namespace west matches spec\.selector 'app=nobody'/);
    expect(status.selectedPods).toEqual([]);
  });

  test('connector status - a transition keeps its time while the condition holds', () => {
    const c = connector('hello', { host: 'db' });
    const first = connectorStatus({ connector: c, pods: [], network: undefined, now });
    const later = connectorStatus({ connector: { ...c, status: first }, pods: [], network: undefined, now: new Date('2026-01-02T00:00:00Z') });
    expect(later.conditions).toEqual(first.conditions);
  });
});
