import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementClient, rowsOf } from '../support/management-client.js';
import { startRouter, stopAllRouters, type RouterProcess } from '../support/router-process.js';

let a: RouterProcess;
let b: RouterProcess;
let client: ManagementClient | undefined;

beforeAll(async () => {
  a = await startRouter('A', [
    ['router', { id: 'A', mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
    ['listener', { name: 'inter-router', host: '127.0.0.1', port: 0, role: 'inter-router' }],
  ]);
  b = await startRouter('B', [
    ['router', { id: 'B', mode: 'interior' }],
    ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
  ]);
  client = await ManagementClient.connect(b.ports.get('amqp')!);
});

afterAll(async () => {
  client?.close();
  await stopAllRouters();
});

describe('management - live reconfiguration with skmanage-shaped requests', () => {
  it('creates a connector at runtime and the link comes up', async () => {
    const port = a.ports.get('inter-router')!;
    const created = await client!.create('connector', 'to-A', { host: '127.0.0.1', port: String(port), role: 'inter-router' });
    expect(created.statusCode).toBe(201);
    await b.waitForLog(/inter-router link to A up/);
    await a.waitForLog(/inter-router link to B up/);
  });

  it('answers QUERY in skupper-router layout, with the connector in it', async () => {
    const response = await client!.query('connector', ['name', 'host', 'role', 'connectionStatus']);
    expect(response.statusCode).toBe(200);
    const body = response.body as { attributeNames: string[]; results: unknown[][] };
    expect(body.attributeNames).toEqual(['name', 'host', 'role', 'connectionStatus']);
    expect(rowsOf(response)).toEqual([{ name: 'to-A', host: '127.0.0.1', role: 'inter-router', connectionStatus: 'SUCCESS' }]);
  });

  it('lists the inter-router connection in the connection entity', async () => {
    const rows = rowsOf(await client!.query('connection', ['role', 'container', 'dir']));
    expect(rows).toContainEqual({ role: 'inter-router', container: 'A', dir: 'out' });
  });

  it('deletes the connector and the link goes down', async () => {
    const deleted = await client!.delete('connector', 'to-A');
    expect(deleted.statusCode).toBe(204);
    await b.waitForLog(/connection to 127\.0\.0\.1:\d+ closed/);
    const rows = rowsOf(await client!.query('connection', ['role']));
    expect(rows.filter((r) => r.role === 'inter-router')).toEqual([]);
  });

  it('refuses a CREATE with a bad attribute, naming it, and keeps serving', async () => {
    const bad = await client!.create('connector', 'broken', { host: '127.0.0.1', port: '70000', role: 'inter-router' });
    expect(bad.statusCode).toBe(400);
    expect(bad.statusDescription).toMatch(/port/);
    expect((await client!.query('connector')).statusCode).toBe(200);
  });

  it('answers a CREATE the system refuses (a listener on a taken port) with 400 naming the address, logged under the asking connection', async () => {
    const taken = a.ports.get('amqp')!;
    const refused = await client!.create('listener', 'squat', { host: '127.0.0.1', port: String(taken), role: 'normal' });
    expect(refused.statusCode).toBe(400);
    expect(refused.statusDescription).toContain(`EADDRINUSE: address already in use 127.0.0.1:${taken}`);
    await b.waitForLog(new RegExp(`AGENT \\(warning\\) \\[C\\d+\\]\\[L\\d+\\] CREATE failed: listen EADDRINUSE.*127\\.0\\.0\\.1:${taken}`));
    expect((await client!.query('listener', ['name'])).statusCode).toBe(200);
  });
});
