/**
 * The `-o json` keys of every command are a contract (cli/README.md): this runs each command in a
 * realistic flow over two sites with real routers and compares the shape of what it printed (key
 * paths and JSON types, values dropped) to json-keys.snapshot.json. A changed shape fails here;
 * update the snapshot deliberately with `-u` (see the README) and say so in the commit.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProgram } from '../../cli/src/program.js';
import { freePort } from '../../cli/src/site/free-ports.js';
import { jsonKeyPaths } from '../support/json-key-paths.js';
import { waitFor } from '../support/router-process.js';
import { startEchoServer, type EchoServer } from '../support/tcp-peers.js';
import { inertPlatform, SkiffHome } from './cli-harness.js';

/** Commands whose output is not JSON by design. */
const NOT_JSON = new Set(['completion']);

/** Commands for Kubernetes sites only: kube-expose.int.test.ts checks their JSON against a real API server. */
const KUBERNETES_ONLY = new Set(['expose', 'unexpose'].flatMap((verb) => ['deployment', 'statefulset', 'service', 'pods'].map((kind) => `${verb} ${kind}`)));

let home: SkiffHome;
let echo: EchoServer;

beforeAll(async () => {
  home = new SkiffHome();
  echo = await startEchoServer();
});

afterAll(async () => {
  await home.dispose();
  await echo.close();
});

interface Step {
  /** The snapshot key: the command, and the situation when it differs between runs. */
  label: string;
  argv: string[];
  /** Waits for the situation the step is meant to show. */
  before?: () => Promise<unknown>;
}

async function flow(): Promise<Step[]> {
  const claim = join(home.dir, 'west.claim');
  const cert = join(home.dir, 'west.cert');
  const servicePort = String(await freePort());
  return [
    { label: 'init', argv: ['init', '--site-name', 'west'] },
    { label: 'init (second site)', argv: ['init', '--site-name', 'east'] },
    { label: 'token create (claim)', argv: ['token', 'create', claim, '--site', 'west'] },
    { label: 'token create (cert)', argv: ['token', 'create', cert, '--site', 'west', '--token-type', 'cert'] },
    { label: 'token status (claim)', argv: ['token', 'status', claim] },
    { label: 'token status (cert)', argv: ['token', 'status', cert] },
    { label: 'link create', argv: ['link', 'create', claim, '--site', 'east'] },
    { label: 'link status', argv: ['link', 'status', '--site', 'east', '--wait', '30'] },
    { label: 'expose host', argv: ['expose', 'host', '127.0.0.1', '--port', String(echo.port), '--address', 'echo', '--site', 'west'] },
    { label: 'service create', argv: ['service', 'create', 'east-svc', servicePort, '--site', 'east'] },
    { label: 'service bind', argv: ['service', 'bind', 'echo', 'host', '127.0.0.1', '--port', String(echo.port), '--site', 'east'], before: eastBindsEcho },
    { label: 'service status (local, and synced with a target)', argv: ['service', 'status', '--site', 'east'] },
    { label: 'service unbind', argv: ['service', 'unbind', 'echo', 'host', '127.0.0.1', '--site', 'east'] },
    { label: 'status (linking site)', argv: ['status', '--site', 'east'] },
    { label: 'status (linked site)', argv: ['status', '--site', 'west'], before: westSeesEast },
    { label: 'link status (linked site)', argv: ['link', 'status', '--site', 'west'] },
    { label: 'network status', argv: ['network', 'status', '--site', 'west'], before: westHearsEastServices },
    { label: 'version', argv: ['version'] },
    { label: 'debug dump', argv: ['debug', 'dump', join(home.dir, 'east.tar.gz'), '--site', 'east'] },
    { label: 'service delete', argv: ['service', 'delete', 'east-svc', '--site', 'east'] },
    { label: 'unexpose host', argv: ['unexpose', 'host', '127.0.0.1', '--site', 'west'] },
    { label: 'stop', argv: ['stop', '--site', 'east'] },
    { label: 'status (stopped)', argv: ['status', '--site', 'east'] },
    { label: 'debug dump (stopped)', argv: ['debug', 'dump', join(home.dir, 'east-stopped.tar.gz'), '--site', 'east'] },
    { label: 'start', argv: ['start', '--site', 'east'] },
    { label: 'link delete', argv: ['link', 'delete', 'link1', '--site', 'east'] },
    { label: 'delete', argv: ['delete', '--site', 'east'] },
  ];
}

/** The `-o json` answer of a command that must succeed. */
async function jsonOf(...argv: string[]): Promise<Record<string, unknown>> {
  return (await home.ok(...argv, '-o', 'json')).json();
}

/** West's router lists east's incoming link (it may trail east's connector by a moment). */
function westSeesEast(): Promise<unknown> {
  return waitFor(async () => ((await jsonOf('status', '--site', 'west')).incomingLinks as unknown[]).length > 0, 'west to see the link from east');
}

/** East has heard of west's service `echo` through service sync and bound a port for it. */
function eastBindsEcho(): Promise<unknown> {
  const bound = async (): Promise<boolean> => ((await jsonOf('service', 'status', '--site', 'east')).services as Array<{ address: string; port: number | null }>).some((s) => s.address === 'echo' && s.port !== null);
  return waitFor(bound, 'east to bind the synced service echo', 20_000);
}

/** West's network view has east with its service. */
function westHearsEastServices(): Promise<unknown> {
  const heard = async (): Promise<boolean> => ((await jsonOf('network', 'status', '--site', 'west')).sites as Array<{ name: string; services: unknown[] }>).some((s) => s.name === 'east' && s.services.length > 0);
  return waitFor(heard, 'west to hear east and its service', 20_000);
}

/** The command words of an argv: as many leading words as name a command in the tree. */
function commandPath(tree: Command, argv: readonly string[]): string {
  const words: string[] = [];
  let command = tree;
  for (const word of argv) {
    const sub = command.commands.find((c) => c.name() === word);
    if (sub === undefined) break;
    words.push(word);
    command = sub;
  }
  return words.join(' ');
}

function leafPaths(command: Command, path: string[] = []): string[] {
  if (command.commands.length === 0) return [path.join(' ')];
  return command.commands.flatMap((sub) => leafPaths(sub, [...path, sub.name()]));
}

describe('json output - stable keys of every command', () => {
  it('prints one JSON document per command whose shape matches the snapshot', async () => {
    const shapes: Record<string, string[]> = {};
    for (const step of await flow()) {
      await step.before?.();
      const run = await home.ok(...step.argv, '-o', 'json');
      let parsed: unknown;
      expect(() => (parsed = JSON.parse(run.out.join('\n'))), `${step.label}: ${run.out.join('\n')}`).not.toThrow();
      shapes[step.label] = jsonKeyPaths(parsed);
    }
    await expect(JSON.stringify(shapes, null, 2) + '\n').toMatchFileSnapshot('json-keys.snapshot.json');
  });

  it('the flow runs every command there is (but completion), so a new one must join it', async () => {
    const tree = makeProgram({ env: {}, out: () => undefined, err: () => undefined, platform: inertPlatform, now: () => new Date() });
    const covered = new Set((await flow()).map((step) => commandPath(tree, step.argv)));
    expect(leafPaths(tree).filter((path) => !covered.has(path) && !NOT_JSON.has(path) && !KUBERNETES_ONLY.has(path))).toEqual([]);
  });
});
