/**
 * `skiff debug dump` against two linked local sites with real routers: the archive holds the
 * expected entries, no private key and no claim password, and a stopped site still dumps.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimRecord } from '../../cli/src/claims/claim-record.js';
import { waitFor } from '../support/router-process.js';
import { readTarGz } from '../support/tar-reader.js';
import { startEchoServer, tryConnect, type EchoServer } from '../support/tcp-peers.js';
import { SkiffHome } from './cli-harness.js';

let home: SkiffHome;
let echo: EchoServer;
let claimPassword = '';

beforeAll(async () => {
  home = new SkiffHome();
  echo = await startEchoServer();
  await home.ok('init', '--site-name', 'west');
  await home.ok('init', '--site-name', 'east');
  const token = join(home.dir, 'west.token');
  // Two uses: the claim record (with its password) stays on west after east redeems it.
  const claim = (await home.ok('token', 'create', token, '--site', 'west', '--uses', '2', '-o', 'json')).json();
  claimPassword = (JSON.parse(readFileSync(home.siteFile('west', 'claims', `${String(claim.name)}.json`), 'utf8')) as ClaimRecord).password;
  await home.ok('link', 'create', token, '--site', 'east');
  await home.ok('link', 'status', '--site', 'east', '--wait', '30');
  await home.ok('expose', 'host', '127.0.0.1', '--port', String(echo.port), '--address', 'echo', '--site', 'west');
});

afterAll(async () => {
  await home.dispose();
  await echo.close();
});

async function dump(site: string): Promise<{ json: Record<string, unknown>; files: Map<string, Buffer> }> {
  const file = join(home.dir, `${site}-${Date.now()}.tar.gz`);
  const json = (await home.ok('debug', 'dump', file, '--site', site, '-o', 'json')).json();
  expect(json.file).toBe(file);
  return { json, files: readTarGz(file) };
}

const text = (files: Map<string, Buffer>, name: string): string => {
  const data = files.get(name);
  if (data === undefined) throw new Error(`no ${name} in the dump (has ${[...files.keys()].join(', ')})`);
  return data.toString('utf8');
};

describe('debug dump - archive of a site for diagnosis', () => {
  it('dumps a running linked site: state, config, logs, command answers and management queries', async () => {
    // East has heard west's service through service sync and its router listens for it.
    await waitFor(async () => {
      const services = (await home.ok('service', 'status', '--site', 'east', '-o', 'json')).json().services as Array<{ address: string; port: number | null }>;
      const port = services.find((s) => s.address === 'echo')?.port;
      return typeof port === 'number' && (await tryConnect(port)) === 'connected';
    }, 'east to listen for the service synced from west', 20_000);
    const { json, files } = await dump('east');
    expect(json).toMatchObject({ site: 'east', routerRunning: true });
    expect(json.entries).toEqual([...files.keys()]);
    for (const name of [
      'dump.json', 'site.json', 'router/skrouterd.json', 'sync/services.json', 'logs/router.log', 'logs/agent.log',
      'commands/version.json', 'commands/status.json', 'commands/link-status.json', 'commands/service-status.json', 'commands/network-status.json',
      'management/connection.json', 'management/listener.json', 'management/connector.json', 'management/tcpListener.json', 'management/tcpConnector.json',
      'management/router.node.json', 'management/router.address.json', 'router/metrics.txt',
    ]) {
      expect(files.has(name), name).toBe(true);
    }
    expect(JSON.parse(text(files, 'commands/link-status.json'))).toMatchObject({ output: { site: 'east', links: [{ name: 'link1', connected: true }] } });
    expect(JSON.parse(text(files, 'management/connector.json'))).toMatchObject({ rows: [{ name: 'link1' }] });
    // The listener east's agent made for the service synced from west, with its counters.
    const listeners = JSON.parse(text(files, 'management/tcpListener.json')) as { rows: Array<Record<string, unknown>> };
    expect(listeners.rows.find((r) => r.address === 'echo')).toHaveProperty('bytesIn');
    expect(text(files, 'logs/router.log')).toMatch(/started/);
  });

  it('keeps secrets out: no private key, no claim password', async () => {
    for (const site of ['west', 'east']) {
      const { files } = await dump(site);
      const all = Buffer.concat([...files.values()]).toString('utf8');
      expect(all).not.toContain('PRIVATE KEY');
      expect(all).not.toContain(claimPassword);
    }
    const { files } = await dump('west');
    const claims = [...files.keys()].filter((n) => n.startsWith('claims/'));
    expect(claims).toHaveLength(1);
    expect(JSON.parse(text(files, claims[0]!))).toMatchObject({ password: '[redacted]', remaining: 1, made: 1 });
  });

  it('writes an archive the system tar lists', async () => {
    const file = join(home.dir, 'listed.tar.gz');
    const json = (await home.ok('debug', 'dump', file, '--site', 'west', '-o', 'json')).json();
    expect(execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n')).toEqual(json.entries);
  });

  it('dumps a stopped site and says the router was not running', async () => {
    await home.ok('stop', '--site', 'east');
    const file = join(home.dir, 'stopped.tar.gz');
    const run = await home.ok('debug', 'dump', file, '--site', 'east');
    expect(run.out[0]).toBe(`Debug dump of site 'east' written to ${file} (the router was not running: no management queries):`);
    const { json, files } = await dump('east');
    expect(json).toMatchObject({ routerRunning: false });
    expect(text(files, 'management/router-not-running.txt')).toMatch(/was not running/);
    expect([...files.keys()].filter((n) => n.startsWith('management/'))).toEqual(['management/router-not-running.txt']);
    expect(JSON.parse(text(files, 'commands/status.json'))).toMatchObject({ output: { running: false, pid: null } });
    expect(JSON.parse(text(files, 'commands/link-status.json'))).toMatchObject({ error: { code: 'SKIFF_ERR_ROUTER_NOT_RUNNING', exitCode: 5 } });
    expect(files.has('logs/router.log')).toBe(true);
  });
});
