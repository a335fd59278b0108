/**
 * The management answers behind every skstat view, checked without Python: each view's QUERYs as
 * skstat sends them (types and attribute names, unknown ones included), against two linked
 * skiff-routers, answer 200 with the columns skstat reads, and every value skstat computes with
 * (compares, divides, formats as a number) is a number in every row — the failures issue 12
 * found were missing types, an unknown-attribute error and nulls where skstat does arithmetic.
 * --all-routers and -r ask the same of a remote router's agent (_topo/0/<id>/$management).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementClient, rowsOf } from '../support/management-client.js';
import { startRouter, stopAllRouters, type RouterProcess } from '../support/router-process.js';

/** What skstat queries per view: type, attribute names it sends, attributes it needs as numbers and as text. */
interface ViewQuery {
  type: string;
  attributeNames?: string[];
  numbers: string[];
  texts?: string[];
}

const VIEWS: Record<string, ViewQuery[]> = {
  '-g': [
    { type: 'router', numbers: ['helloIntervalSeconds', 'helloMaxAgeSeconds', 'raIntervalSeconds', 'raIntervalFluxSeconds', 'remoteLsMaxAgeSeconds', 'workerThreads'], texts: ['mode', 'hostName', 'area', 'defaultDistribution', 'dataConnectionCount'] },
    { type: 'routerMetrics', numbers: ['uptimeSeconds', 'memoryUsage', 'residentMemoryUsage', 'autoLinkCount', 'linkCount', 'nodeCount', 'addrCount', 'connectionCount', 'presettledDeliveries', 'droppedPresettledDeliveries', 'acceptedDeliveries', 'rejectedDeliveries', 'releasedDeliveries', 'modifiedDeliveries', 'deliveriesDelayed1Sec', 'deliveriesDelayed10Sec', 'deliveriesStuck', 'deliveriesIngress', 'deliveriesEgress', 'deliveriesTransit', 'deliveriesIngressRouteContainer', 'deliveriesEgressRouteContainer', 'deliveriesIngressInterNetwork', 'deliveriesEgressInterNetwork'], texts: ['id', 'version'] },
    { type: 'network', numbers: [] },
  ],
  '-c': [{ type: 'connection', numbers: ['uptimeSeconds'], texts: ['identity', 'host', 'container', 'role', 'protocol', 'dir'] }],
  '-l': [
    {
      type: 'router.link',
      attributeNames: ['linkType', 'linkDir', 'connectionId', 'identity', 'owningAddr', 'capacity', 'undeliveredCount', 'unsettledCount', 'deliveryCount', 'presettledCount', 'droppedPresettledCount', 'acceptedCount', 'rejectedCount', 'releasedCount', 'modifiedCount', 'deliveriesDelayed1Sec', 'deliveriesDelayed10Sec', 'deliveriesStuck', 'creditAvailable', 'zeroCreditSeconds', 'adminStatus', 'operStatus', 'linkName', 'priority', 'settleRate'],
      numbers: ['capacity', 'undeliveredCount', 'unsettledCount', 'deliveryCount', 'presettledCount', 'droppedPresettledCount', 'acceptedCount', 'rejectedCount', 'releasedCount', 'modifiedCount', 'deliveriesDelayed1Sec', 'deliveriesDelayed10Sec', 'deliveriesStuck', 'creditAvailable', 'zeroCreditSeconds', 'priority', 'settleRate'],
      texts: ['linkType', 'linkDir', 'connectionId', 'identity', 'linkName'],
    },
  ],
  '-a': [
    {
      type: 'router.address',
      attributeNames: ['distribution', 'inProcess', 'subscriberCount', 'remoteCount', 'deliveriesIngress', 'deliveriesEgress', 'deliveriesTransit', 'deliveriesToContainer', 'deliveriesFromContainer', 'name', 'priority', 'watch'],
      numbers: ['inProcess', 'subscriberCount', 'remoteCount', 'deliveriesIngress', 'deliveriesEgress', 'deliveriesTransit', 'deliveriesToContainer', 'deliveriesFromContainer', 'priority'],
      texts: ['distribution', 'name'],
    },
  ],
  '-n': [{ type: 'router.node', numbers: ['protocolVersion'], texts: ['id'] }],
  '-m': [
    {
      type: 'allocator',
      attributeNames: ['identity', 'typeSize', 'transferBatchSize', 'localFreeListMax', 'totalAllocFromHeap', 'totalFreeToHeap', 'heldByThreads', 'batchesRebalancedToThreads', 'batchesRebalancedToGlobal'],
      numbers: ['typeSize', 'transferBatchSize', 'localFreeListMax', 'totalAllocFromHeap', 'totalFreeToHeap', 'heldByThreads', 'batchesRebalancedToThreads', 'batchesRebalancedToGlobal'],
      texts: ['identity'],
    },
  ],
  '--autolinks': [{ type: 'router.config.autoLink', attributeNames: ['address', 'direction', 'externalAddress', 'linkRef', 'operStatus', 'lastError'], numbers: [] }],
};

let a: RouterProcess;
let b: RouterProcess;

beforeAll(async () => {
  a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
  ]);
  b = await startRouter('B', [
    ['router', { id: 'B', mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
    ['connector', { name: 'to-A', host: '127.0.0.1', port: a.ports.get('inter-router')!, role: 'inter-router' }],
  ]);
  await a.waitForLog(/route to B: via B/, 15_000);
});

afterAll(async () => {
  await stopAllRouters();
});

async function checkView(client: ManagementClient, routerId: string, view: string): Promise<void> {
  for (const q of VIEWS[view]!) {
    const response = await client.query(q.type, q.attributeNames ?? []);
    expect(response.statusCode, `${view} ${q.type}: ${response.statusDescription}`).toBe(200);
    const rows = rowsOf(response);
    if (q.type !== 'router.config.autoLink') expect(rows.length, `${view} ${q.type} rows`).toBeGreaterThan(0);
    for (const row of rows) {
      for (const n of q.numbers) expect(typeof row[n], `${view} ${q.type}.${n} = ${String(row[n])}`).toBe('number');
      for (const t of q.texts ?? []) expect(typeof row[t], `${view} ${q.type}.${t} = ${String(row[t])}`).toBe('string');
    }
    if (q.type === 'routerMetrics') expect(rows[0]!.id).toBe(routerId);
  }
}

describe('management - the answers every skstat view reads', () => {
  for (const view of Object.keys(VIEWS)) {
    it(`skstat ${view}: every QUERY answers with the columns skstat reads, numbers where it computes`, async () => {
      const client = await ManagementClient.connect(a.ports.get('amqp')!);
      try {
        await checkView(client, 'A', view);
      } finally {
        client.close();
      }
    });
  }

  it('skstat -l: the link view asks for adminStatus, which router.link lacks; the answer has the name there, as skupper-router gives', async () => {
    const client = await ManagementClient.connect(a.ports.get('amqp')!);
    const body = (await client.query('router.link', ['linkType', 'adminStatus'])).body as { attributeNames: string[] };
    client.close();
    expect(body.attributeNames).toEqual(['linkType', 'name']);
  });

  it('skstat -l: link identities are distinct integers, as skupper-router numbers its links (skiff showed 1-0-0)', async () => {
    const client = await ManagementClient.connect(a.ports.get('amqp')!);
    const ids = rowsOf(await client.query('router.link', ['identity'])).map((r) => r.identity);
    client.close();
    expect(ids.length).toBeGreaterThan(20);
    expect(ids.filter((id) => typeof id !== 'string' || !/^[1-9]\d*$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('skstat -g, -c, -l: the values are the router\'s own (id, connections up for seconds, HELLOs counted on the control links)', async () => {
    const client = await ManagementClient.connect(a.ports.get('amqp')!);
    const [metrics] = rowsOf(await client.query('routerMetrics'));
    const links = rowsOf(await client.query('router.link'));
    const connections = rowsOf(await client.query('connection'));
    client.close();
    expect(metrics).toMatchObject({ id: 'A', nodeCount: 2 });
    expect(connections.find((c) => c.role === 'inter-router')).toMatchObject({ container: 'B', opened: true });
    const control = links.filter((l) => l.linkType === 'router-control');
    expect(control.length).toBe(2);
    expect(control.every((l) => (l.presettledCount as number) > 0 && l.priority === 9)).toBe(true);
  });

  it('skstat -a, -c, -l: the same facts as skupper-router shows them (the interop suite compared them)', async () => {
    const client = await ManagementClient.connect(a.ports.get('amqp')!);
    const addresses = rowsOf(await client.query('router.address'));
    const connections = rowsOf(await client.query('connection'));
    const links = rowsOf(await client.query('router.link'));
    client.close();
    // -a: the routing protocol's addresses are flooded (qdrouter.ma multicast), $management is
    // closest, and each router reachable is listed with its topological qdrouter addresses.
    const distribution = Object.fromEntries(addresses.map((r) => [r.key, r.distribution]));
    expect(distribution).toMatchObject({ Lqdhello: 'flood', Lqdrouter: 'flood', 'Lqdrouter.ma': 'multicast', M$management: 'closest', RB: 'closest', Tqdrouter: 'flood', 'Tqdrouter.ma': 'multicast' });
    expect(addresses.find((r) => r.key === 'RB')).toMatchObject({ remoteCount: 1 });
    // -c: SASL ANONYMOUS is an authentication ("anonymous-user"); no SASL at all is "no-auth".
    expect(connections.find((c) => c.role === 'inter-router')).toMatchObject({ isAuthenticated: true, sasl: 'ANONYMOUS' });
    // -l: the data link pairs carry priorities 0 to 9; addresses are hash keys (class letter first).
    const data = links.filter((l) => l.linkType === 'inter-router' && l.connectionId === String(connections.find((c) => c.role === 'inter-router')!.identity));
    expect([...new Set(data.map((l) => l.priority))].sort((x, y) => Number(x) - Number(y))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(links.find((l) => l.linkType === 'router-control' && l.linkDir === 'out')).toMatchObject({ owningAddr: 'Lqdhello' });
    expect(links.filter((l) => l.linkType === 'endpoint').map((l) => l.owningAddr)).toContain('M$management');
  });

  it('--all-routers and -r: the same views from the other router through its _topo/0/<id>/$management', async () => {
    const client = await ManagementClient.connect(a.ports.get('amqp')!, '_topo/0/B/$management');
    try {
      for (const view of Object.keys(VIEWS)) await checkView(client, 'B', view);
      const nodes = await client.request('GET-MGMT-NODES', {});
      expect(nodes.statusCode).toBe(200);
    } finally {
      client.close();
    }
    expect(b.log()).not.toMatch(/management request failed/);
  });
});
