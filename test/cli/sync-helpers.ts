/**
 * Steps the service-sync tests share: linking two sites with a claim token, reading what a site's
 * `service status` says of an address, and a tcpListener's or tcpConnector's counters.
 */
import { join } from 'node:path';
import { Management } from '../../cli/src/mgmt/management.js';
import type { KnownService } from '../../cli/src/sync/service-catalog.js';
import type { SkiffHome } from './cli-harness.js';

/** `from` links to `to` with a claim token issued by `to`, and waits for the link to connect. */
export async function linkSites(home: SkiffHome, from: string, to: string): Promise<void> {
  const token = join(home.dir, `${to}-for-${from}.token`);
  await home.ok('token', 'create', token, '--site', to);
  await home.ok('link', 'create', token, '--site', from);
  await home.ok('link', 'status', '--site', from, '--wait', '60');
}

/** What `service status -o json` on `site` says of `address`, if it lists it. */
export async function serviceOn(home: SkiffHome, site: string, address: string): Promise<KnownService | undefined> {
  const status = (await home.ok('service', 'status', '--site', site, '-o', 'json')).json() as { services: KnownService[] };
  return status.services.find((s) => s.address === address);
}

export async function managementPort(home: SkiffHome, site: string): Promise<number> {
  const status = (await home.ok('status', '--site', site, '-o', 'json')).json() as { ports: { management: number } };
  return status.ports.management;
}

/** The rows of one entity type on a site's router, by management QUERY. */
export async function queryRows(home: SkiffHome, site: string, type: string): Promise<Array<Record<string, unknown>>> {
  return Management.with(await managementPort(home, site), (m) => m.query(type));
}
