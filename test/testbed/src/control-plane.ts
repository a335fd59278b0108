/**
 * One cluster's real control plane on loopback: etcd, kube-apiserver (RBAC, default admission
 * plugins, service-account issuer), kube-controller-manager and kube-scheduler, each a built
 * binary in its own process with its log in <cluster dir>/logs/.
 */
import { request } from 'node:https';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeKubeconfig } from './kubeconfig.js';
import { issue, makeCa, makeServiceAccountKeys, type CertFiles } from './pki-files.js';
import { binary } from './paths.js';
import { freePort } from './free-port.js';
import { GiveUp, waitFor } from './wait.js';
import { ManagedProcess } from './process.js';
import { KUBELET_ADDRESS } from './node-registration.js';

/** Both CIDRs are the same in every cluster, as in real, independently made clusters. */
export const POD_CIDR = '10.244.0.0/16';
export const SERVICE_CIDR = '10.96.0.0/12';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

export interface ControlPlaneRequest {
  name: string;
  dir: string;
  /** Address the apiserver publishes in the `kubernetes` Service's endpoints (a node's underlay IP). */
  advertiseAddress: string;
}

export interface ControlPlane {
  name: string;
  server: string;
  apiPort: number;
  ca: CertFiles;
  adminKubeconfig: string;
  processes: ManagedProcess[];
}

/** Throws GiveUp (ends a waitFor at once) when a control-plane process has exited. */
export function checkRunning(plane: Pick<ControlPlane, 'processes'>): void {
  const dead = plane.processes.find((p) => !p.running);
  if (dead) throw new GiveUp(dead.exitError());
}

async function pki(dir: string, advertiseAddress: string) {
  const ca = await makeCa(dir, 'skiff-testbed-ca');
  const serving = await issue(ca, dir, 'apiserver', {
    commonName: 'kube-apiserver',
    usage: 'server',
    hosts: [
      '127.0.0.1', KUBERNETES_SERVICE_IP, advertiseAddress, 'localhost', 'kubernetes', 'kubernetes.default',
      'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local',
    ],
  });
  const client = (name: string, commonName: string, organization?: string) =>
    issue(ca, dir, name, { commonName, usage: 'client', ...(organization ? { organization } : {}) });
  const [admin, kubeletClient, kcm, scheduler, sa] = await Promise.all([
    client('admin', 'skiff-testbed-admin', 'system:masters'),
    client('apiserver-kubelet-client', 'kube-apiserver-kubelet-client'),
    client('kcm', 'system:kube-controller-manager'),
    client('scheduler', 'system:kube-scheduler'),
    makeServiceAccountKeys(dir),
  ]);
  return { ca, serving, admin, kubeletClient, kcm, scheduler, sa };
}

/** GET on the apiserver with the admin certificate; resolves with the status code. */
async function apiGet(plane: Pick<ControlPlane, 'apiPort' | 'ca'>, admin: CertFiles, path: string): Promise<number> {
  const [ca, cert, key] = await Promise.all([readFile(plane.ca.cert), readFile(admin.cert), readFile(admin.key)]);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: plane.apiPort, path, ca, cert, key, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end();
  });
}

export async function startControlPlane(req: ControlPlaneRequest): Promise<ControlPlane> {
  const pkiDir = join(req.dir, 'pki');
  const logs = join(req.dir, 'logs');
  await mkdir(logs, { recursive: true });
  const certs = await pki(pkiDir, req.advertiseAddress);
  const [etcdClient, etcdPeer, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const server = `https://127.0.0.1:${apiPort}`;
  const processes: ManagedProcess[] = [];
  const start = (name: 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler', args: string[]) => {
    const proc = new ManagedProcess({ command: binary(name), args, logFile: join(logs, `${name}.log`) });
    processes.push(proc);
    return proc;
  };
  try {
    start('etcd', [
      `--name=${req.name}`, `--data-dir=${join(req.dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=${req.name}=http://127.0.0.1:${etcdPeer}`,
      // A throwaway cluster: durability buys nothing and fsync costs seconds on a busy disk.
      '--unsafe-no-fsync', '--log-level=warn',
    ]);
    start('kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1', `--secure-port=${apiPort}`, `--advertise-address=${req.advertiseAddress}`,
      '--authorization-mode=RBAC',
      `--client-ca-file=${certs.ca.cert}`, `--tls-cert-file=${certs.serving.cert}`, `--tls-private-key-file=${certs.serving.key}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${certs.sa.publicKey}`, `--service-account-signing-key-file=${certs.sa.privateKey}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`, '--allow-privileged=true', '--profiling=false', '--v=1',
      // kubectl logs: the node agents serve the kubelet API on loopback (see node-registration.ts).
      `--kubelet-client-certificate=${certs.kubeletClient.cert}`, `--kubelet-client-key=${certs.kubeletClient.key}`,
      `--kubelet-certificate-authority=${certs.ca.cert}`, `--kubelet-preferred-address-types=${KUBELET_ADDRESS.type},InternalIP,Hostname`,
    ]);
    const kubeconfig = (name: string, client: CertFiles, user: string) =>
      writeKubeconfig({ path: join(req.dir, `${name}.kubeconfig`), cluster: req.name, user, server, caFile: certs.ca.cert, client });
    const [adminKubeconfig, kcmKubeconfig, schedulerKubeconfig] = await Promise.all([
      kubeconfig('admin', certs.admin, 'admin'),
      kubeconfig('kcm', certs.kcm, 'system:kube-controller-manager'),
      kubeconfig('scheduler', certs.scheduler, 'system:kube-scheduler'),
    ]);
    const plane: ControlPlane = { name: req.name, server, apiPort, ca: certs.ca, adminKubeconfig, processes };
    await waitFor(`kube-apiserver of ${req.name} to be ready (log: ${join(logs, 'kube-apiserver.log')})`, async () => {
      checkRunning(plane);
      return (await apiGet(plane, certs.admin, '/readyz')) === 200;
    }, 120_000);
    start('kube-controller-manager', [
      `--kubeconfig=${kcmKubeconfig}`, '--leader-elect=false', '--secure-port=0',
      '--use-service-account-credentials=true', `--service-account-private-key-file=${certs.sa.privateKey}`,
      `--root-ca-file=${certs.ca.cert}`,
      `--cluster-signing-cert-file=${certs.ca.cert}`, `--cluster-signing-key-file=${certs.ca.key}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`, `--cluster-cidr=${POD_CIDR}`, '--allocate-node-cidrs=false',
      '--v=1',
    ]);
    start('kube-scheduler', [`--kubeconfig=${schedulerKubeconfig}`, '--leader-elect=false', '--secure-port=0', '--v=1']);
    return plane;
  } catch (error) {
    await Promise.all(processes.map((p) => p.stop(2000)));
    throw error;
  }
}

/** Stops the control plane in reverse start order (etcd last, so the others exit cleanly). */
export async function stopControlPlane(plane: ControlPlane): Promise<void> {
  for (const proc of [...plane.processes].reverse()) await proc.stop(5000);
}
