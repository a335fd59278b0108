/**
 * The router Deployment `skupper-router` (ADR 0004, 0005): an init container that writes the cert
 * files, the router, the kube-adaptor beside it, and the service-controller (Listeners, Connectors,
 * their Services and the router's bridges). The pod template depends on the Site (its name and
 * service-sync-site-ttl) and the images only, never on links or the config content, so changing a
 * Link never restarts the router.
 */
import type { V1Container, V1Deployment, V1EnvVar, V1Probe, V1SecurityContext } from '@kubernetes/client-node';
import { CertsDir, Container, Env, Port, RouterConfigDir, RouterConfigKey, RouterConfigMap, RouterName, RouterSelector, routerPodLabels } from '../../../common/src/kube-api/names.js';
import type { Site } from '../../../common/src/kube-api/types.js';
import type { ControllerSettings } from '../runtime/context.js';
import { ownedMeta } from './object-meta.js';
import { syncGraceSeconds } from './service-sync-ttl.js';

const ConfigVolume = 'router-config';
const CertsVolume = 'router-certs';
const ADAPTOR_COMMAND = 'kube-adaptor';

const containerSecurity: V1SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function adaptorEnv(site: string): V1EnvVar[] {
  return [
    { name: Env.podNamespace, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: Env.podName, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: Env.siteName, value: site },
  ];
}

function probe(path: string, port: number, failureThreshold: number): V1Probe {
  return { httpGet: { path, port }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold };
}

const configMount = { name: ConfigVolume, mountPath: RouterConfigDir, readOnly: true };

function adaptor(name: string, image: string, args: string[], site: string, extra: Partial<V1Container>): V1Container {
  return {
    name,
    image,
    args,
    env: adaptorEnv(site),
    volumeMounts: [configMount, { name: CertsVolume, mountPath: CertsDir }],
    resources: { requests: { cpu: '10m', memory: '48Mi' }, limits: { cpu: '500m', memory: '192Mi' } },
    securityContext: containerSecurity,
    ...extra,
  };
}

/** The service-controller: pod-local management, its own health port, no volumes (it writes no files). */
function serviceController(site: Site, image: string): V1Container {
  return {
    name: Container.serviceController,
    image,
    env: [
      ...adaptorEnv(site.metadata.name),
      { name: Env.syncGraceSeconds, value: String(syncGraceSeconds(site)) },
      { name: Env.healthPort, value: String(Port.serviceControllerHealth) },
    ],
    ports: [{ name: 'services-health', containerPort: Port.serviceControllerHealth }],
    readinessProbe: probe('/readyz', Port.serviceControllerHealth, 3),
    livenessProbe: { ...probe('/healthz', Port.serviceControllerHealth, 6), initialDelaySeconds: 10 },
    resources: { requests: { cpu: '10m', memory: '48Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    securityContext: containerSecurity,
  };
}

export function routerDeployment(site: Site, settings: Pick<ControllerSettings, 'routerImage' | 'adaptorImage' | 'serviceControllerImage'>): V1Deployment {
  const name = site.metadata.name;
  const router: V1Container = {
    name: 'router',
    image: settings.routerImage,
    args: ['--config', `${RouterConfigDir}/${RouterConfigKey}`],
    ports: [
      { name: 'inter-router', containerPort: Port.interRouter },
      { name: 'edge', containerPort: Port.edge },
      { name: 'health', containerPort: Port.routerHealth },
    ],
    readinessProbe: probe('/healthz', Port.routerHealth, 3),
    livenessProbe: { ...probe('/healthz', Port.routerHealth, 6), initialDelaySeconds: 10 },
    volumeMounts: [configMount, { name: CertsVolume, mountPath: CertsDir, readOnly: true }],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    securityContext: containerSecurity,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: ownedMeta(RouterName, site.metadata.namespace ?? '', name, site, routerPodLabels(name)),
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...RouterSelector } },
      template: {
        metadata: { labels: routerPodLabels(name) },
        spec: {
          serviceAccountName: RouterName,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          initContainers: [adaptor('kube-adaptor-init', settings.adaptorImage, [ADAPTOR_COMMAND, '--init'], name, {})],
          containers: [
            router,
            adaptor('kube-adaptor', settings.adaptorImage, [ADAPTOR_COMMAND], name, {
              ports: [{ name: 'grant', containerPort: Port.grant }, { name: 'adaptor-health', containerPort: Port.controllerHealth }],
              readinessProbe: probe('/readyz', Port.controllerHealth, 3),
              livenessProbe: { ...probe('/healthz', Port.controllerHealth, 6), initialDelaySeconds: 10 },
            }),
            serviceController(site, settings.serviceControllerImage),
          ],
          volumes: [
            { name: ConfigVolume, configMap: { name: RouterConfigMap } },
            { name: CertsVolume, emptyDir: {} },
          ],
        },
      },
    },
  };
}
