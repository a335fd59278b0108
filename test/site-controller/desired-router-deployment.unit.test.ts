import { describe, expect, test } from 'vitest';
import { routerDeployment } from '../../site-controller/src/desired/router-deployment.js';
import { ADAPTOR_RULES, routerRbac } from '../../site-controller/src/desired/router-rbac.js';
import { site } from './desired-fixtures.js';

const images = { routerImage: 'skiff/router:0.1.0', adaptorImage: 'skiff/site-controller:0.1.0', serviceControllerImage: 'skiff/service-controller:0.1.0' };

describe('desired router deployment', () => {
  const deployment = routerDeployment(site(), images);
  const pod = deployment.spec?.template.spec;
  const container = (name: string) => [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].find((c) => c.name === name);

  test('router deployment - skupper-router, 1 replica, router pod labels, selected by the router selector', () => {
    expect(deployment.metadata?.name).toBe('skupper-router');
    expect(deployment.spec?.replicas).toBe(1);
    expect(deployment.spec?.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'skupper-router', 'skupper.io/component': 'router' });
    expect(deployment.spec?.template.metadata?.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'skiff', 'skupper.io/site': 'west', 'app.kubernetes.io/name': 'skupper-router', 'skupper.io/component': 'router' });
    expect(deployment.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Site', name: 'west', controller: true, blockOwnerDeletion: true });
    expect(pod?.serviceAccountName).toBe('skupper-router');
  });

  test('router deployment - init container, router and kube-adaptor with their images, args and ports', () => {
    expect(pod?.initContainers?.map((c) => c.name)).toEqual(['kube-adaptor-init']);
    expect(pod?.containers.map((c) => c.name)).toEqual(['router', 'kube-adaptor', 'service-controller']);
    expect(container('kube-adaptor-init')).toMatchObject({ image: images.adaptorImage, args: ['kube-adaptor', '--init'] });
    const adaptor = container('kube-adaptor');
    expect(adaptor).toMatchObject({ image: images.adaptorImage, args: ['kube-adaptor'] });
    expect(adaptor?.ports).toEqual([{ name: 'grant', containerPort: 8081 }, { name: 'adaptor-health', containerPort: 9191 }]);
    expect(adaptor?.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 9191 });
    expect(adaptor?.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 9191 });
    const router = container('router');
    expect(router).toMatchObject({ image: images.routerImage, args: ['--config', '/etc/skupper-router/config/skrouterd.json'] });
    expect(router?.ports?.map((p) => p.containerPort)).toEqual([55671, 45671, 9090]);
    for (const probe of [router?.readinessProbe, router?.livenessProbe]) expect(probe?.httpGet).toEqual({ path: '/healthz', port: 9090 });
  });

  test('router deployment - the adaptor knows its pod and site from env', () => {
    const env = container('kube-adaptor')?.env ?? [];
    expect(env).toEqual([
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'SKIFF_SITE_NAME', value: 'west' },
    ]);
    expect(container('kube-adaptor-init')?.env).toEqual(env);
  });

  test('router deployment - the service-controller: its image, env (sync grace from service-sync-site-ttl, default 180 s), health on 9192', () => {
    const services = container('service-controller');
    expect(services?.image).toBe(images.serviceControllerImage);
    expect(services?.env).toEqual([
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'SKIFF_SITE_NAME', value: 'west' },
      { name: 'SKIFF_SYNC_GRACE_SECONDS', value: '180' },
      { name: 'SKIFF_HEALTH_PORT', value: '9192' },
    ]);
    expect(services?.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 9192 });
    expect(services?.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 9192 });
    const grace = (ttl: string) => routerDeployment(site({ settings: { 'service-sync-site-ttl': ttl } }), images).spec?.template.spec?.containers
      .find((c) => c.name === 'service-controller')?.env?.find((e) => e.name === 'SKIFF_SYNC_GRACE_SECONDS')?.value;
    expect([grace('30'), grace('2m'), grace('1m30s'), grace('soon'), grace('0')]).toEqual(['30', '120', '90', '180', '180']);
  });

  test('router deployment - config and an emptyDir for certs shared by all three containers', () => {
    expect(pod?.volumes).toEqual([
      { name: 'router-config', configMap: { name: 'skupper-router' } },
      { name: 'router-certs', emptyDir: {} },
    ]);
    for (const name of ['kube-adaptor-init', 'router', 'kube-adaptor']) {
      const mounts = container(name)?.volumeMounts ?? [];
      expect(mounts).toContainEqual(expect.objectContaining({ name: 'router-certs', mountPath: '/etc/skupper-router-certs' }));
      expect(mounts).toContainEqual(expect.objectContaining({ name: 'router-config', mountPath: '/etc/skupper-router/config', readOnly: true }));
    }
  });

  test('router deployment - secure contexts: non-root, read-only root, no capabilities, RuntimeDefault seccomp, resources set', () => {
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    for (const name of ['kube-adaptor-init', 'router', 'kube-adaptor', 'service-controller']) {
      const c = container(name);
      expect(c?.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(c?.resources?.requests).toBeDefined();
      expect(c?.resources?.limits).toBeDefined();
    }
  });

  test('router deployment - the pod template depends on the site and images only (links never restart the router)', () => {
    const again = routerDeployment(site({ linkAccess: 'default', settings: { anything: 'x' } }), images);
    expect(again.spec?.template).toEqual(deployment.spec?.template);
    expect(JSON.stringify(deployment.spec?.template)).not.toMatch(/digest|checksum/i);
  });

  test('router rbac - ServiceAccount, Role and RoleBinding skupper-router binding the adaptor rules', () => {
    const [account, role, binding] = routerRbac(site());
    expect([account.metadata?.name, role.metadata?.name, binding.metadata?.name]).toEqual(['skupper-router', 'skupper-router', 'skupper-router']);
    expect(role.rules).toEqual(ADAPTOR_RULES);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'skupper-router', namespace: 'west-ns' }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'skupper-router' });
    // The router pod never writes Secrets, Links or Sites: only what the adaptor and the service-controller make.
    const writes = role.rules?.filter((r) => r.verbs.some((v) => ['create', 'update', 'patch', 'delete'].includes(v))) ?? [];
    expect(writes.flatMap((r) => r.resources)).toEqual(['configmaps', 'accessgrants/status', 'services', 'events', 'listeners', 'connectors', 'listeners/status', 'connectors/status', 'endpointslices']);
    // What the service-controller watches (ADR 0005 §RBAC).
    const reads = (resource: string) => role.rules?.filter((r) => r.resources?.includes(resource)).flatMap((r) => r.verbs) ?? [];
    for (const resource of ['pods', 'services', 'deployments', 'statefulsets', 'listeners', 'connectors']) expect(reads(resource), resource).toEqual(expect.arrayContaining(['get', 'list', 'watch']));
  });
});
