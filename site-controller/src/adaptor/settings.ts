/** The kube-adaptor's settings, from the environment the router Deployment gives it (common/src/kube-api/names.ts Env). */
import { CertsDir, Env, Port } from '../../../common/src/kube-api/names.js';
import { AdaptorError, AdaptorErrorCode } from './errors.js';

export interface AdaptorSettings {
  namespace: string;
  podName: string;
  siteName: string;
  /** Where sslProfile files go: `<certsDir>/<profile>/{tls.crt,tls.key,ca.crt}`. */
  certsDir: string;
  /** The router's management listener on 127.0.0.1. */
  managementPort: number;
  /** /healthz and /readyz. */
  healthPort: number;
  /** The grant server's HTTPS port. */
  grantPort: number;
}

export function adaptorSettings(env: Readonly<Record<string, string | undefined>>): AdaptorSettings {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new AdaptorError(AdaptorErrorCode.SKIFF_ERR_ADAPTOR_SETTINGS, `${name} is not set; the router Deployment must set it (see docs/adr/0004-kubernetes-sites.md)`);
    return value;
  };
  return {
    namespace: required(Env.podNamespace),
    podName: env[Env.podName] ?? '',
    siteName: required(Env.siteName),
    certsDir: env.SKIFF_CERTS_DIR || CertsDir,
    managementPort: port(env, 'SKIFF_MANAGEMENT_PORT', Port.management),
    healthPort: port(env, Env.healthPort, Port.controllerHealth),
    grantPort: port(env, 'SKIFF_GRANT_PORT', Port.grant),
  };
}

function port(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new AdaptorError(AdaptorErrorCode.SKIFF_ERR_ADAPTOR_SETTINGS, `${name} is '${text}'; expected a port number 0-65535`);
  }
  return value;
}
