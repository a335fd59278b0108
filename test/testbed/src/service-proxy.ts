/**
 * The kube-proxy stand-in of one cluster, plus its LoadBalancer allocator. It watches Services
 * and EndpointSlices and, after each burst of changes, recomputes every node's nftables ruleset
 * from the whole cache and loads it atomically. LoadBalancer Services get an underlay address
 * from the cluster's pool, put on the first node's ul0 (so it answers ARP on the underlay) and
 * written to the Service's status.
 */
import { CoreV1Api, type KubeConfig, type V1EndpointSlice, type V1Service } from '@kubernetes/client-node';
import { describeError, type AgentLog } from './agent-log.js';
import { nftApply, run } from './exec.js';
import type { NodeNetwork } from './node-network.js';
import { renderProxyRules, type ProxyService, type ProxyServicePort } from './nft-rules.js';
import { POD_CIDR } from './control-plane.js';
import { LoadBalancerPool } from './underlay.js';
import { objectKey, type WatchCache } from './watch-cache.js';

export class ServiceProxy {
  private readonly core: CoreV1Api;
  private readonly pool: LoadBalancerPool;
  private readonly assigned = new Set<string>();
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    kc: KubeConfig,
    clusterIndex: number,
    private readonly nodes: readonly NodeNetwork[],
    private readonly services: WatchCache<V1Service>,
    private readonly slices: WatchCache<V1EndpointSlice>,
    private readonly log: AgentLog,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.pool = new LoadBalancerPool(clusterIndex);
    services.onChange(() => this.kick());
    slices.onChange(() => this.kick());
  }

  /** Runs a sync now, or once more after the current one (never two at once). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sync()
      .catch((error: unknown) => {
        this.log(`sync failed, retrying: ${describeError(error)}`);
        // A failed sync (e.g. a conflict writing status) is retried shortly, as a workqueue would.
        setTimeout(() => this.kick(), 500).unref();
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when no sync is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
  }

  private endpointsOf(service: V1Service): Map<string, { ip: string; port: number }[]> {
    const byPortName = new Map<string, { ip: string; port: number }[]>();
    const ns = service.metadata?.namespace;
    const name = service.metadata?.name;
    for (const slice of this.slices.list()) {
      if (slice.metadata?.namespace !== ns || slice.metadata?.labels?.['kubernetes.io/service-name'] !== name) continue;
      for (const port of slice.ports ?? []) {
        if (port.port === undefined) continue;
        const list = byPortName.get(port.name ?? '') ?? [];
        for (const endpoint of slice.endpoints) {
          // A nil ready condition means ready (EndpointSlice API contract).
          const ip = endpoint.addresses[0];
          if (ip && endpoint.conditions?.ready !== false) list.push({ ip, port: port.port });
        }
        byPortName.set(port.name ?? '', list);
      }
    }
    return byPortName;
  }

  private async sync(): Promise<void> {
    const wanted = new Map<string, string>();
    const proxied: ProxyService[] = [];
    for (const service of this.services.list()) {
      const key = objectKey(service);
      const clusterIp = service.spec?.clusterIP;
      const lbIps: string[] = [];
      if (service.spec?.type === 'LoadBalancer') {
        const ip = this.pool.acquire(key);
        if (ip) {
          lbIps.push(ip);
          wanted.set(key, ip);
          await this.publishStatus(service, ip);
        }
      }
      const endpoints = this.endpointsOf(service);
      const ports: ProxyServicePort[] = (service.spec?.ports ?? []).map((p) => ({
        id: `${key}:${p.port}`,
        protocol: p.protocol === 'UDP' ? 'udp' : 'tcp',
        port: p.port,
        ...(p.nodePort ? { nodePort: p.nodePort } : {}),
        endpoints: endpoints.get(p.name ?? '') ?? [],
      }));
      proxied.push({ ...(clusterIp && clusterIp !== 'None' ? { clusterIp } : {}), loadBalancerIps: lbIps, ports });
    }
    for (const [key] of this.pool.entries()) if (!wanted.has(key)) this.pool.release(key);
    await this.placeAddresses(new Set(wanted.values()));
    await Promise.all(
      this.nodes.map((node) => nftApply(node.ns, renderProxyRules({ underlayIp: node.underlayIp, podCidr: POD_CIDR, uplink: 'ul0' }, proxied))),
    );
  }

  /** Keeps exactly the wanted LoadBalancer addresses on the first node's underlay leg. */
  private async placeAddresses(wanted: Set<string>): Promise<void> {
    const owner = this.nodes[0];
    if (!owner) return;
    for (const ip of wanted) {
      if (this.assigned.has(ip)) continue;
      await run('ip', ['-n', owner.ns, 'addr', 'replace', `${ip}/32`, 'dev', 'ul0']);
      this.assigned.add(ip);
    }
    for (const ip of [...this.assigned]) {
      if (wanted.has(ip)) continue;
      await run('ip', ['-n', owner.ns, 'addr', 'del', `${ip}/32`, 'dev', 'ul0'], { allowFailure: true });
      this.assigned.delete(ip);
    }
  }

  private async publishStatus(service: V1Service, ip: string): Promise<void> {
    if (service.status?.loadBalancer?.ingress?.[0]?.ip === ip) return;
    await this.core.patchNamespacedServiceStatus({
      name: service.metadata?.name ?? '',
      namespace: service.metadata?.namespace ?? '',
      body: [{ op: 'add', path: '/status/loadBalancer', value: { ingress: [{ ip, ipMode: 'VIP' }] } }],
    });
  }
}
