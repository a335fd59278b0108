/**
 * The service-controller's settings, from the environment the router Deployment gives it
 * (common/src/kube-api/names.ts Env; ADR 0005).
 */
import { Env, Port } from '../../common/src/kube-api/names.js';
import { packageVersion } from '../../common/src/package-version.js';
import type { RuntimeSettings } from '../../site-controller/src/runtime/context.js';
import { ControllerError, ControllerErrorCode } from '../../site-controller/src/runtime/errors.js';
import { DEFAULT_SYNC_GRACE_SECONDS } from '../../site-controller/src/desired/service-sync-ttl.js';

type Environment = Readonly<Record<string, string | undefined>>;

export const SERVICE_CONTROLLER = 'skiff-service-controller';

export interface ServiceControllerSettings extends RuntimeSettings {
  podName: string;
  /** The Site this router serves (its Services select this site's router pods). */
  siteName: string;
  /** How long a silent origin keeps the services it announced (service sync). */
  syncGraceSeconds: number;
  /** The router's management listener on 127.0.0.1. */
  managementPort: number;
  /** /healthz, /readyz and /metrics. */
  healthPort: number;
}

export function serviceControllerSettings(env: Environment): ServiceControllerSettings {
  const namespace = required(env, Env.podNamespace);
  return {
    namespace,
    watchNamespaces: [namespace],
    controllerName: SERVICE_CONTROLLER,
    version: packageVersion(),
    podName: env[Env.podName] ?? '',
    siteName: required(env, Env.siteName),
    syncGraceSeconds: integer(env, Env.syncGraceSeconds, DEFAULT_SYNC_GRACE_SECONDS, 0, Number.MAX_SAFE_INTEGER, 'a number of seconds'),
    managementPort: integer(env, 'SKIFF_MANAGEMENT_PORT', Port.management, 1, 65535, 'a port number'),
    healthPort: integer(env, Env.healthPort, Port.serviceControllerHealth, 0, 65535, 'a port number'),
  };
}

function required(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ControllerError(ControllerErrorCode.SKIFF_ERR_CONTROLLER_SETTINGS, `${name} is not set; the router Deployment sets it (see docs/adr/0005-kubernetes-services.md)`);
  }
  return value;
}

function integer(env: Environment, name: string, fallback: number, min: number, max: number, what: string): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ControllerError(ControllerErrorCode.SKIFF_ERR_CONTROLLER_SETTINGS, `${name} is '${text}'; expected ${what} ${min}-${max} (default ${fallback})`);
  }
  return value;
}
