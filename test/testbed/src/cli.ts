/**
 * `npm run testbed -- up|down|status|kubeconfig NAME|host NAME` for people. `up` starts a detached
 * daemon (this file with `serve`) that holds the node agents and service proxies, and waits
 * until it reports ready; `down` stops it and removes every trace, even of a crashed run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAll, testbedNamespaces } from './cleanup.js';
import { errorLines, SkiffError } from '../../../common/src/errors/skiff-error.js';
import { TestbedError } from './errors.js';
import { stateDir } from './paths.js';
import { checkPrerequisites } from './prerequisites.js';
import { GiveUp, waitFor } from './wait.js';
import { startTestbed } from './testbed.js';
import { createUnderlayHost, listUnderlayHosts } from './underlay-host.js';

const USAGE = `usage: testbed up [--clusters N] [--nodes N] | down | status | kubeconfig NAME | host NAME`;

interface Summary {
  clusters: { name: string; server: string; kubeconfig: string; nodes: string[] }[];
}

const root = stateDir();
const daemonPidFile = join(root, 'daemon.pid');
const failedFile = join(root, 'daemon.failed');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function daemonPid(): number | undefined {
  if (!existsSync(daemonPidFile)) return undefined;
  const pid = Number(readFileSync(daemonPidFile, 'utf8'));
  return alive(pid) ? pid : undefined;
}

function summary(): Summary | undefined {
  const file = join(root, 'testbed.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Summary) : undefined;
}

function lastLines(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-10).join('\n') : '(no log)';
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value)) throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `${name} needs a whole number`, USAGE);
  return value;
}

async function up(args: string[]): Promise<void> {
  if (daemonPid() !== undefined) throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', 'the test bed is already up', 'run `testbed down` first');
  // Here, not only in the daemon: a host that cannot run the test bed is told so at once.
  checkPrerequisites();
  await cleanupAll(root);
  mkdirSync(root, { recursive: true });
  const log = openSync(join(root, 'daemon.log'), 'a');
  const clusters = String(option(args, '--clusters', 2));
  const nodes = String(option(args, '--nodes', 1));
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve', clusters, nodes], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(daemonPidFile, String(child.pid));
  const daemonLog = join(root, 'daemon.log');
  // The state directory, logs included, is removed below: the message carries the cause.
  const again = 'fix the cause and run `testbed up` again';
  await waitFor('the test bed to start', () => {
    if (existsSync(failedFile)) throw new GiveUp(new TestbedError('SKIFF_ERR_TESTBED_START', readFileSync(failedFile, 'utf8'), again));
    if (daemonPid() === undefined) throw new GiveUp(new TestbedError('SKIFF_ERR_TESTBED_START', `the test bed daemon exited: ${lastLines(daemonLog)}`, again));
    return summary() !== undefined;
  }, 300_000).catch(async (error: unknown) => {
    await cleanupAll(root);
    throw error;
  });
  await status();
}

async function serve(args: string[]): Promise<void> {
  try {
    const testbed = await startTestbed({ clusters: Number(args[0] ?? 2), nodesPerCluster: Number(args[1] ?? 1), cleanLeftovers: false });
    const stop = () => void testbed.stop().finally(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    const hint = error instanceof TestbedError ? ` (${error.hint})` : '';
    // startTestbed removed the state directory when it cleaned up after itself.
    mkdirSync(root, { recursive: true });
    writeFileSync(failedFile, (error instanceof Error ? error.message : String(error)) + hint);
    throw error;
  }
}

async function down(): Promise<void> {
  const pid = daemonPid();
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM');
    await waitFor('the test bed daemon to stop', () => !alive(pid), 60_000).catch(() => undefined);
  }
  await cleanupAll(root);
  console.log('test bed down: no namespaces, processes or state left');
}

async function status(): Promise<void> {
  const s = summary();
  const pid = daemonPid();
  if (!s || pid === undefined) {
    console.log(`test bed is down${s || pid !== undefined ? ' (leftovers: run `testbed down`)' : ''}`);
    return;
  }
  console.log(`test bed is up (daemon pid ${pid}, state ${root})`);
  for (const c of s.clusters) console.log(`  ${c.name}  ${c.server}  nodes: ${c.nodes.join(', ')}  kubeconfig: ${c.kubeconfig}`);
  for (const h of await listUnderlayHosts()) console.log(`  host ${h.name}  ${h.address}  run in it: ip netns exec ${h.netns} COMMAND`);
}

/** A plain host on the underlay (a VM); it lives until `down`. */
async function host(name: string | undefined): Promise<void> {
  if (daemonPid() === undefined || !summary()) throw new TestbedError('SKIFF_ERR_TESTBED_NOT_RUNNING', 'the test bed is not up', 'run `testbed up` first');
  const made = await createUnderlayHost(name ?? '');
  console.log(`host ${made.name}  ${made.address}  run in it: ip netns exec ${made.netns} COMMAND`);
}

function kubeconfig(name: string | undefined): void {
  const cluster = summary()?.clusters.find((c) => c.name === name);
  if (!cluster) throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `no running cluster named "${name ?? ''}"`, 'see `testbed status`');
  console.log(cluster.kubeconfig);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command ?? '') {
    case 'up':
      return up(rest);
    case 'serve':
      return serve(rest);
    case 'down':
      return down();
    case 'host':
      return host(rest[0]);
    case 'status':
      await status();
      if (daemonPid() === undefined && (await testbedNamespaces()).length > 0) console.log('  leftover namespaces found: run `testbed down`');
      return;
    case 'kubeconfig':
      return kubeconfig(rest[0]);
    default:
      throw new TestbedError('SKIFF_ERR_TESTBED_USAGE', `unknown command "${command ?? ''}"`, USAGE);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const failure = error instanceof SkiffError ? error : new SkiffError('SKIFF_ERR_INTERNAL', error instanceof Error ? error.message : String(error), 'this is a bug in the test bed: report it');
  for (const line of errorLines(failure)) console.error(line);
  process.exitCode = failure.exitCode;
});
