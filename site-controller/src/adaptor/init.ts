/**
 * `kube-adaptor --init`, the router pod's init container: writes the files of every sslProfile
 * the router config names before the router starts (it reads them at start). A Secret that is not
 * there yet fails the init container, naming the Secret; the pod retries it.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { RouterConfigKey, RouterConfigMap, profileSecret } from '../../../common/src/kube-api/names.js';
import { profileFilesOf, writeProfileFiles } from './cert-files.js';
import { AdaptorError, AdaptorErrorCode } from './errors.js';
import { readConfigMap, readSecret } from './kube-reads.js';
import { parseRouterConfig, sslProfiles, type RouterConfig } from './router-config.js';
import type { AdaptorSettings } from './settings.js';

export async function readRouterConfig(kc: KubeConfig, namespace: string): Promise<RouterConfig> {
  const configMap = await readConfigMap(kc, namespace, RouterConfigMap);
  const text = configMap?.data?.[RouterConfigKey];
  if (text === undefined) {
    throw new AdaptorError(AdaptorErrorCode.SKIFF_ERR_ADAPTOR_CONFIG, `ConfigMap ${RouterConfigMap} in namespace ${namespace} ${configMap === undefined ? 'does not exist' : `has no key ${RouterConfigKey}`}; the site controller writes it`);
  }
  return parseRouterConfig(text);
}

export async function initCertFiles(kc: KubeConfig, settings: AdaptorSettings, log: (line: string) => void): Promise<void> {
  const config = await readRouterConfig(kc, settings.namespace);
  for (const profile of sslProfiles(config)) {
    const name = profileSecret(profile);
    const secret = await readSecret(kc, settings.namespace, name);
    if (secret === undefined) {
      throw new AdaptorError(AdaptorErrorCode.SKIFF_ERR_ADAPTOR_SECRET, `Secret ${name} (for sslProfile ${profile}) not found in namespace ${settings.namespace}; the pod retries until it exists`);
    }
    writeProfileFiles(settings.certsDir, profile, profileFilesOf(secret));
    log(`sslProfile ${profile}: files written from Secret ${name}`);
  }
}
