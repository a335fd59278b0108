import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '../../site-controller/src/runtime/health-server.js';

let server: HealthServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('health server - /healthz /readyz /metrics', () => {
  it('is live at once, ready only when the source says so, and serves the metrics text', async () => {
    let reason: string | undefined = 'caches not synced yet: sites.skupper.io in west';
    server = await startHealthServer({ notReadyReason: () => reason, metrics: () => 'skiff_leader 1\n' }, 0, '127.0.0.1');
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${server?.port}${path}`);
      return [res.status, await res.text(), res.headers.get('content-type')] as const;
    };
    expect((await get('/healthz')).slice(0, 2)).toEqual([200, 'ok\n']);
    expect((await get('/readyz')).slice(0, 2)).toEqual([503, 'not ready: caches not synced yet: sites.skupper.io in west\n']);
    reason = undefined;
    expect((await get('/readyz')).slice(0, 2)).toEqual([200, 'ok\n']);
    expect(await get('/metrics')).toEqual([200, 'skiff_leader 1\n', 'text/plain; version=0.0.4; charset=utf-8']);
    expect((await get('/nope'))[0]).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`, { method: 'POST' })).status).toBe(405);
  });

  it('fails to start with EADDRINUSE when the port is taken', async () => {
    server = await startHealthServer({ notReadyReason: () => undefined, metrics: () => '' }, 0, '127.0.0.1');
    await expect(startHealthServer({ notReadyReason: () => undefined, metrics: () => '' }, server.port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
  });
});
