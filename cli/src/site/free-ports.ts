/**
 * Ports for a new site: five consecutive from --port-base, or free ones the kernel hands out. The free
 * ones are only free at init; `start` reuses them so a site keeps its endpoints (tokens name them).
 */
import { createServer } from 'node:net';
import type { SitePorts } from './site-state.js';

const SITE_PORT_COUNT = 5;

export async function sitePorts(portBase: number | undefined): Promise<SitePorts> {
  const ports: number[] = [];
  if (portBase !== undefined) {
    for (let i = 0; i < SITE_PORT_COUNT; i++) ports.push(portBase + i);
  } else {
    // Hold every server open until all are bound so the kernel cannot hand out the same port twice.
    const servers = await Promise.all(Array.from({ length: SITE_PORT_COUNT }, () => listenOnAnyPort()));
    for (const server of servers) {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address for a probe socket');
      ports.push(address.port);
    }
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  }
  const [management, http, interRouter, edge, claims] = ports as [number, number, number, number, number];
  return { management, http, interRouter, edge, claims };
}

function listenOnAnyPort(): Promise<ReturnType<typeof createServer>> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** One free port on 127.0.0.1 (for a service listener when the user names none). */
export async function freePort(): Promise<number> {
  const server = await listenOnAnyPort();
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') throw new Error('no TCP address for a probe socket');
  return address.port;
}
