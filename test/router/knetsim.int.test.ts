/**
 * The knetsim teaching tool's two router configs, unchanged (fixed ports 55671 and 1028; this
 * file runs alone, as every integration file does): they link, and port 1028 reaches a backend
 * on 127.0.0.1:8090.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, type ConfigEntity, type RouterProcess } from '../support/router-process.js';
import { echoThrough, startEchoServer, type EchoServer } from '../support/tcp-peers.js';
import { TEST_DIR } from '../support/wire-fixtures.js';

const fixture = (name: string): ConfigEntity[] => JSON.parse(readFileSync(join(TEST_DIR, 'fixtures/knetsim', name), 'utf8')) as ConfigEntity[];

let backend: EchoServer;
let c0: RouterProcess;
let c1: RouterProcess;

beforeAll(async () => {
  backend = await startEchoServer(8090);
  c0 = await startRouter('c0', fixture('solo0.json'), { configName: 'solo0.json' });
  c1 = await startRouter('c1', fixture('solo1.json'), { configName: 'solo1.json', waitForListeners: false });
});

afterAll(async () => {
  await stopAllRouters();
  await backend.close();
});

describe('knetsim fixtures - load unchanged, link, and carry traffic', () => {
  it('c1 links to c0 over the inter-router listener on 55671', async () => {
    await c0.waitForLog(/inter-router link to c1 up/);
    await c1.waitForLog(/inter-router link to c0 up/);
  });

  it('port 1028 on c0 reaches the backend on 127.0.0.1:8090 through c1', async () => {
    await c0.waitForLog(/tcpListener backend:8080 listening on 0\.0\.0\.0:1028/, 15_000);
    const r = await echoThrough(1028, 64 * 1024);
    expect(r.received).toBe(r.sent);
    expect(backend.connections).toBeGreaterThan(0);
  });
});
