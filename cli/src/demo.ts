/**
 * `npm run demo`: two sites on this machine, west and east, in a temporary SKIFF_HOME. West issues a
 * token, east links with it, east exposes a tiny HTTP server; service sync brings the service to
 * west, which binds a port for it, and the demo fetches through that port. The token is a claim,
 * redeemed at west's site agent. Every step is a real `skiff` command run in-process, printed as
 * the user would type it. Whatever happens, the routers, the agents, the server and the directory
 * are gone at exit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli } from './cli.js';
import type { CliDeps } from './deps.js';
import { LocalPlatform } from './platform/local-platform.js';

const FETCH_TIMEOUT_MS = 30_000;
/** Service sync announces every 5 s and at once on a change: a service shows up within seconds. */
const SYNC_TIMEOUT_MS = 30_000;
const GREETING = 'Hello from east, through the skiff mesh!';

async function main(): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-demo-'));
  const env = { ...process.env, SKIFF_HOME: home, SKIFF_SITE: '' };
  const deps: CliDeps = {
    now: () => new Date(),
    env,
    out: (line) => console.log(`    ${line}`),
    err: (line) => console.log(`    ${line}`),
    platform: new LocalPlatform(env),
  };
  const skiff = async (...argv: string[]): Promise<void> => {
    console.log(`$ skiff ${argv.join(' ')}`);
    const code = await runCli(argv, deps);
    if (code !== 0) throw new Error(`'skiff ${argv.join(' ')}' exited ${code}`);
  };
  /** The port `site` bound for `address` once service sync brought it there (asked quietly). */
  const syncedPort = async (site: string, address: string): Promise<number> => {
    const deadline = Date.now() + SYNC_TIMEOUT_MS;
    for (;;) {
      const lines: string[] = [];
      const code = await runCli(['service', 'status', '-o', 'json', '--site', site], { ...deps, out: (line) => lines.push(line), err: () => undefined });
      const services = code === 0 ? ((JSON.parse(lines.join('\n')) as { services?: Array<{ address: string; port: number }> }).services ?? []) : [];
      const port = services.find((service) => service.address === address)?.port;
      if (port !== undefined) return port;
      if (Date.now() > deadline) throw new Error(`${site} did not learn of '${address}' within ${SYNC_TIMEOUT_MS / 1000} s`);
      await sleep(250);
    }
  };
  const created: string[] = [];
  let hello: Server | undefined;
  try {
    console.log(`# SKIFF_HOME=${home}`);
    for (const site of ['west', 'east']) {
      await skiff('init', '--site-name', site);
      created.push(site);
    }
    const token = join(home, 'west.token');
    await skiff('token', 'create', token, '--site', 'west');
    await skiff('link', 'create', token, '--site', 'east');
    await skiff('link', 'status', '--site', 'east', '--wait', '30');

    hello = await startHello();
    const helloPort = (hello.address() as { port: number }).port;
    console.log(`# an HTTP server on 127.0.0.1:${helloPort}, reachable only on east's side`);
    await skiff('expose', 'host', '127.0.0.1', '--port', String(helloPort), '--address', 'hello', '--site', 'east');
    console.log('# service sync carries the definition to west, which binds a port of its own for it');
    const westPort = await syncedPort('west', 'hello');
    await skiff('service', 'status', '--site', 'west');

    console.log(`$ curl http://127.0.0.1:${westPort}/`);
    console.log(`    ${await fetchWithRetry(`http://127.0.0.1:${westPort}/`)}`);
    await skiff('status', '--site', 'west');
    await skiff('network', 'status', '--site', 'west');
    console.log('# demo complete: cleaning up');
    return 0;
  } catch (error) {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    for (const site of created.reverse()) await runCli(['delete', '--site', site], deps);
    await new Promise((done) => (hello === undefined ? done(undefined) : hello.close(done)));
    rmSync(home, { recursive: true, force: true });
  }
}

function startHello(): Promise<Server> {
  const server = createServer((_request, response) => response.end(`${GREETING}\n`));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * West's listener opens its port once the mesh tells it where `hello` is served, a moment after the
 * service arrives, so the first attempts may be refused.
 */
async function fetchWithRetry(url: string): Promise<string> {
  const deadline = Date.now() + FETCH_TIMEOUT_MS;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      return (await response.text()).trim();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no answer from ${url} within ${FETCH_TIMEOUT_MS / 1000} s: ${String(error)}`);
      await sleep(250);
    }
  }
}

process.exitCode = await main();
