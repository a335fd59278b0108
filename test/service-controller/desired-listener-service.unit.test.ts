import type { V1Service } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { planListeners, plansForHost } from '../../service-controller/src/desired/listener-plan.js';
import { ownedService, restoredService, serviceState, takenOverService, takeOverDiffers, takeOverWanted } from '../../service-controller/src/desired/listener-service.js';
import { listener } from './desired-fixtures.js';

const ROUTER = { 'app.kubernetes.io/name': 'skupper-router', 'skupper.io/component': 'router', 'skupper.io/site': 'west' };

function theirs(): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'legacy', namespace: 'west', resourceVersion: '7', labels: { team: 'a' }, annotations: { note: 'kept' } },
    spec: {
      type: 'NodePort',
      clusterIP: '10.96.0.20',
      selector: { app: 'legacy' },
      ports: [
        { name: 'web', port: 8080, targetPort: 'http', protocol: 'TCP', nodePort: 30080 },
        { name: 'admin', port: 9000, targetPort: 9001, protocol: 'TCP', nodePort: 30090 },
      ],
    },
  };
}

describe('service-controller listener service', () => {
  const plans = plansForHost(planListeners([listener('web', { host: 'shop', port: 80 }), listener('api', { host: 'shop', port: 8443 }), listener('elsewhere', {})], []), 'shop');

  test('listener service - one ClusterIP Service per host: a port per Listener to its router port, router pods selected, every Listener an owner (not controller)', () => {
    const service = ownedService('shop', 'west', 'west', plans);
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: ROUTER,
      ports: [
        { name: 'port-80', port: 80, targetPort: 80, protocol: 'TCP' },
        { name: 'port-8443', port: 8443, targetPort: 8443, protocol: 'TCP' },
      ],
    });
    expect(service.metadata?.labels).toMatchObject({ 'skiff.io/listener-service': 'shop', 'app.kubernetes.io/part-of': 'skiff', 'skupper.io/site': 'west' });
    expect(service.metadata?.annotations).toEqual({ 'internal.skupper.io/controlled': 'true' });
    expect(service.metadata?.ownerReferences).toEqual([
      { apiVersion: 'skupper.io/v2alpha1', kind: 'Listener', name: 'api', uid: 'uid-api' },
      { apiVersion: 'skupper.io/v2alpha1', kind: 'Listener', name: 'web', uid: 'uid-web' },
    ]);
  });

  test('listener service - whose it is: absent, Skiff\'s, taken over, someone else\'s', () => {
    expect(serviceState(undefined, 'shop')).toBe('absent');
    expect(serviceState(ownedService('shop', 'west', 'west', plans), 'shop')).toBe('ours');
    expect(serviceState(theirs(), 'legacy')).toBe('foreign');
    expect(serviceState(takenOverService(theirs(), 'west', plans), 'legacy')).toBe('takenOver');
    expect(takeOverWanted(plans)).toBe(false);
    expect(takeOverWanted(plansForHost(planListeners([listener('l', { host: 'legacy' }, { 'skiff.io/take-over-service': 'true' })], []), 'legacy'))).toBe(true);
  });

  test('listener service - take over saves selector and ports once, takes no ownership; restore gives them back exactly, marks gone', () => {
    const original = theirs();
    const legacy = plansForHost(planListeners([listener('l', { host: 'legacy', port: 8080 }, { 'skiff.io/take-over-service': 'true' })], []), 'legacy');
    const taken = takenOverService(original, 'west', legacy);
    expect(taken.spec?.selector).toEqual(ROUTER);
    expect(taken.spec?.ports).toEqual([{ name: 'port-8080', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    expect(taken.spec?.clusterIP).toBe('10.96.0.20');
    expect(taken.metadata?.resourceVersion).toBe('7');
    expect(taken.metadata?.ownerReferences).toBeUndefined();
    expect(taken.metadata?.annotations?.note).toBe('kept');
    // Taken over again (a port changes): what was saved stays the Service's own, not Skiff's.
    const again = takenOverService(taken, 'west', plans);
    expect(again.metadata?.annotations?.['skiff.io/original-selector']).toBe(JSON.stringify({ app: 'legacy' }));
    expect(takeOverDiffers(taken, again)).toBe(true);
    expect(takeOverDiffers(taken, takenOverService(taken, 'west', legacy))).toBe(false);

    const restored = restoredService(again);
    expect(restored.spec).toEqual(original.spec);
    expect(restored.metadata?.labels).toEqual(original.metadata?.labels);
    expect(restored.metadata?.annotations).toEqual(original.metadata?.annotations);
  });

  test('listener service - a Service without a selector is restored without one', () => {
    const bare: V1Service = { metadata: { name: 'x' }, spec: { ports: [{ port: 1 }] } };
    const restored = restoredService(takenOverService(bare, 'west', plans));
    expect(restored.spec).toEqual({ ports: [{ port: 1 }] });
    expect(restored.metadata).toEqual({ name: 'x', labels: {}, annotations: {} });
  });
});
