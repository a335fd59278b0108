/** Writes kubeconfig files with the certificates embedded, so each file stands alone. */
import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { CertFiles } from './pki-files.js';

export interface KubeconfigRequest {
  path: string;
  cluster: string;
  user: string;
  server: string;
  caFile: string;
  client: CertFiles;
  namespace?: string;
}

const b64 = async (path: string): Promise<string> => (await readFile(path)).toString('base64');

export async function writeKubeconfig(request: KubeconfigRequest): Promise<string> {
  const context = `${request.user}@${request.cluster}`;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: request.cluster, cluster: { server: request.server, 'certificate-authority-data': await b64(request.caFile) } }],
    users: [
      {
        name: request.user,
        user: { 'client-certificate-data': await b64(request.client.cert), 'client-key-data': await b64(request.client.key) },
      },
    ],
    contexts: [
      {
        name: context,
        context: { cluster: request.cluster, user: request.user, ...(request.namespace ? { namespace: request.namespace } : {}) },
      },
    ],
    'current-context': context,
  };
  await writeFile(request.path, stringify(doc), { mode: 0o600 });
  return request.path;
}
