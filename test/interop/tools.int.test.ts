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

/** skstat's table as rows keyed by its header's column names (columns split on 2+ spaces). */
function table(out: string): Array<Record<string, string>> {
  const lines = out.split('\n');
  const rule = lines.findIndex((l) => /^\s*=+\s*$/.test(l));
  if (rule < 1) return [];
  const header = lines[rule - 1]!;
  const starts = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], at: m.index }));
  return lines.slice(rule + 1).filter((l) => l.trim() !== '').map((l) =>
    Object.fromEntries(starts.map((c, i) => [c.name, l.slice(c.at, starts[i + 1]?.at ?? l.length).trim()])),
  );
}

function column(out: string, name: string, where: (row: Record<string, string>) => boolean): string[] {
  return table(out).filter(where).map((r) => r[name] ?? '');
}

/** The `name` cell of the first row whose first two cells are `key` ("local qdhello", "router-control out"). */
function cell(out: string, key: string, name: string): string | undefined {
  return table(out).find((r) => Object.values(r).slice(0, 2).join(' ') === key)?.[name];
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

  it('skstat -a, -c, -l: the same facts as skrouterd shows for the same things (treatments, authentication, data link priorities)', async () => {
    const [skiffA, skrA] = await Promise.all([runTool(SKSTAT, ['-b', skiffUrl, '-a']), runTool(SKSTAT, ['-b', skrUrl, '-a'])]);
    for (const address of ['local qdhello', 'local qdrouter', 'local qdrouter.ma', 'topo qdrouter', 'topo qdrouter.ma', 'mobile $management', 'local $management']) {
      expect(cell(skiffA, address, 'distrib'), `-a ${address}`).toBe(cell(skrA, address, 'distrib'));
    }
    expect(cell(skrA, 'local qdhello', 'distrib')).toBe('flood');
    const [skiffC, skrC] = await Promise.all([runTool(SKSTAT, ['-b', skiffUrl, '-c']), runTool(SKSTAT, ['-b', skrUrl, '-c'])]);
    expect(column(skiffC, 'authentication', (r) => r.role === 'inter-router')).toEqual(column(skrC, 'authentication', (r) => r.role === 'inter-router'));
    const [skiffL, skrL] = await Promise.all([runTool(SKSTAT, ['-b', skiffUrl, '-l']), runTool(SKSTAT, ['-b', skrUrl, '-l'])]);
    const priorities = (out: string): string[] => column(out, 'pri', (r) => r.type === 'inter-router').sort((x, y) => Number(x) - Number(y));
    expect(priorities(skiffL)).toEqual(priorities(skrL));
    expect(priorities(skrL)).toHaveLength(20);
    expect(column(skrC, 'authentication', (r) => r.role === 'inter-router')).toContain('anonymous-user');
    expect(cell(skiffL, 'router-control out', 'addr')).toBe(cell(skrL, 'router-control out', 'addr'));
    // Link ids are integers on both (skiff showed 1-0-0); the last 'id' heading is the link's, after 'conn id'.
    for (const out of [skiffL, skrL]) {
      const ids = column(out, 'id', () => true);
      expect(ids.length).toBeGreaterThan(10);
      expect(ids.filter((id) => !/^\d+$/.test(id))).toEqual([]);
    }
  });

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

  it('skmanage create: a name another entity has, of any type, is refused by both routers alike', async () => {
    for (const [url, port] of [[skiffUrl, 24211], [skrUrl, 24212]] as const) {
      await runTool(SKMANAGE, ['-b', url, 'create', '--type=tcpListener', '--name=shared', 'host=127.0.0.1', `port=${port}`, 'address=tools']);
      const refused = await runTool(SKMANAGE, ['-b', url, 'create', '--type=tcpConnector', '--name=shared', 'host=127.0.0.1', 'port=24213', 'address=tools'])
        .then(() => 'created', (error: { stdout?: string }) => error.stdout ?? String(error));
      expect(refused, url).toMatch(/^BadRequestStatus: adding .*tcpConnector.* duplicates unique attribute 'name' from existing .*tcpListener/);
      await runTool(SKMANAGE, ['-b', url, 'delete', '--type=tcpListener', '--name=shared']);
    }
  });
});
