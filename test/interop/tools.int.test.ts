/**
 * skupper-router's own tools against a skiff-router linked to a skrouterd: every skstat view
 * prints Skiff's values without error and with the columns skrouterd's answer gives, --all-routers
 * and -r reach both routers, and skmanage query/create/delete work. Needs SKROUTERD, SKSTAT and
 * SKMANAGE (see skrouterd.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter, stopAllRouters, type RouterProcess } from '../support/router-process.js';
import { SKMANAGE, SKROUTERD, SKSTAT, runTool, sayWhySkipped, startSkrouterd, stopAllSkrouterd } from './skrouterd.js';

sayWhySkipped();

const IR = 24201;
const NORMAL_SKR = 24202;

/** The header line of skstat's table (the line above the ===== rule). */
function columns(out: string): string {
  const lines = out.split('\n');
  const rule = lines.findIndex((l) => /^\s*=+\s*$/.test(l));
  return rule > 0 ? lines[rule - 1]!.trim().split(/\s+/).join(' ') : '';
}

describe.skipIf(SKROUTERD === undefined || SKSTAT === undefined || SKMANAGE === undefined)('interop - skstat and skmanage against a skiff-router', () => {
  let skiff: RouterProcess;
  let skiffUrl = '';
  const skrUrl = `127.0.0.1:${NORMAL_SKR}`;

  beforeAll(async () => {
    await startSkrouterd('SKR', [
      ['router', { id: 'SKR', mode: 'interior', workerThreads: 2 }],
      ['listener', { host: '127.0.0.1', port: NORMAL_SKR, role: 'normal' }],
      ['listener', { host: '127.0.0.1', port: IR, role: 'inter-router' }],
    ], NORMAL_SKR);
    skiff = await startRouter('SKIFF', [
      ['router', { id: 'SKIFF', mode: 'interior' }],
      ['listener', { name: 'amqp', host: '127.0.0.1', port: 0, role: 'normal' }],
      ['connector', { name: 'to-skr', host: '127.0.0.1', port: IR, role: 'inter-router' }],
    ]);
    skiffUrl = `127.0.0.1:${skiff.ports.get('amqp')!}`;
    await skiff.waitForLog(/route to SKR: via SKR/, 15_000);
  }, 60_000);

  afterAll(async () => {
    await stopAllRouters();
    await stopAllSkrouterd();
  });

  for (const view of ['-g', '-c', '-l', '-a', '-n', '-m']) {
    it(`skstat ${view}: Skiff's values, with the columns skrouterd's view has`, async () => {
      const out = await runTool(SKSTAT, ['-b', skiffUrl, view]);
      const reference = await runTool(SKSTAT, ['-b', skrUrl, view]);
      expect(out).toContain('SKIFF');
      expect(columns(out)).toBe(columns(reference));
    });
  }

  it('skstat --autolinks: none, as skrouterd says it', async () => {
    expect(await runTool(SKSTAT, ['-b', skiffUrl, '--autolinks'])).toContain('No AutoLinks found');
  });

  it('skstat --all-routers and -r: both routers answer through the skiff-router, and through skrouterd', async () => {
    const all = await runTool(SKSTAT, ['-b', skiffUrl, '-g', '--all-routers']);
    expect(all).toMatch(/Router\s+SKIFF/);
    expect(all).toMatch(/Router\s+SKR/);
    expect(await runTool(SKSTAT, ['-b', skiffUrl, '-r', 'SKR', '-g'])).toMatch(/Router Id\s+SKR/);
    expect(await runTool(SKSTAT, ['-b', skrUrl, '-r', 'SKIFF', '-c'])).toContain('SKR');
    expect(await runTool(SKSTAT, ['-b', skrUrl, '-r', 'SKIFF', '-l'])).toContain('router-control');
  });

  it('skmanage query, create and delete a tcpListener on the skiff-router', async () => {
    const created = JSON.parse(await runTool(SKMANAGE, ['-b', skiffUrl, 'create', '--type=tcpListener', '--name=tools-in', 'host=127.0.0.1', 'port=24210', 'address=tools'])) as Record<string, unknown>;
    expect(created).toMatchObject({ name: 'tools-in', address: 'tools', type: 'io.skupper.router.tcpListener' });
    const listed = JSON.parse(await runTool(SKMANAGE, ['-b', skiffUrl, 'query', '--type=tcpListener'])) as Array<Record<string, unknown>>;
    expect(listed.map((l) => l.name)).toContain('tools-in');
    await runTool(SKMANAGE, ['-b', skiffUrl, 'delete', '--type=tcpListener', '--name=tools-in']);
    const after = JSON.parse(await runTool(SKMANAGE, ['-b', skiffUrl, 'query', '--type=tcpListener'])) as Array<Record<string, unknown>>;
    expect(after.map((l) => l.name)).not.toContain('tools-in');
  });
});
