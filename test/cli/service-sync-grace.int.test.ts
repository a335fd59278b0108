import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/router-process.js';
import { echoThrough, startEchoServer, type EchoServer } from '../support/tcp-peers.js';
import { pidOf, SkiffHome } from './cli-harness.js';
import { linkSites, queryRows, serviceOn } from './sync-helpers.js';

// Snapshots go out every quarter of the grace (1.5 s), so a 2 s freeze stays well inside it.
const GRACE_S = 6;
const SHORT_CUT_MS = 2_000;

let home: SkiffHome;
let echo: EchoServer;
let westPort = 0;

beforeAll(async () => {
  home = new SkiffHome();
  echo = await startEchoServer();
  await home.ok('init', '--site-name', 'west', '--sync-grace', `${GRACE_S}s`);
  await home.ok('init', '--site-name', 'east', '--sync-grace', `${GRACE_S}s`);
  await linkSites(home, 'east', 'west');
  await home.ok('expose', 'host', '127.0.0.1', '--port', String(echo.port), '--address', 'echo', '--site', 'east');
  westPort = Number(await waitFor(async () => (await serviceOn(home, 'west', 'echo'))?.port, 'west to bind echo', 20_000));
});

afterAll(async () => {
  await home.dispose();
  await echo.close();
});

/** Freezes east's router (its links carry nothing, its agent's snapshots go nowhere) until `work` ends. */
async function withEastFrozen<T>(work: () => Promise<T>): Promise<T> {
  const pid = pidOf(home, 'east');
  process.kill(pid, 'SIGSTOP');
  try {
    return await work();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

describe('service sync - the grace period of a site that went silent', () => {
  it('keeps the service while east is cut off for less than the grace', async () => {
    const seen: Array<number | null | undefined> = [];
    const watch = async (ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        seen.push((await serviceOn(home, 'west', 'echo'))?.port);
        await sleep(250);
      }
    };
    await withEastFrozen(() => watch(SHORT_CUT_MS));
    // Past the moment a dropped definition would have expired had the cut counted.
    await watch(GRACE_S * 1000);
    expect(seen.length).toBeGreaterThan(5);
    expect(new Set(seen)).toEqual(new Set([westPort]));
    expect((await queryRows(home, 'west', 'tcpListener')).map((r) => r.address)).toContain('echo');
  });

  it('removes the service once east is silent for longer than the grace, and binds it again on the same port when east is back', async () => {
    const goneAfterMs = await withEastFrozen(async () => {
      const started = Date.now();
      await waitFor(async () => (await serviceOn(home, 'west', 'echo')) === undefined, 'west to drop echo', 30_000);
      const elapsed = Date.now() - started;
      expect((await queryRows(home, 'west', 'tcpListener')).map((r) => r.address)).not.toContain('echo');
      const network = (await home.ok('network', 'status', '--site', 'west', '-o', 'json')).json() as { sites: Array<{ name: string }> };
      expect(network.sites.map((s) => s.name)).toEqual(['west']);
      return elapsed;
    });
    console.log(`east frozen: west dropped echo after ${goneAfterMs} ms (grace ${GRACE_S} s)`);
    // The last snapshot before the freeze is at most one interval old, so the drop is close to the grace.
    expect(goneAfterMs).toBeGreaterThan(GRACE_S * 1000 - (GRACE_S * 1000) / 4 - 500);

    const back = await waitFor(async () => (await serviceOn(home, 'west', 'echo'))?.port, 'west to bind echo again', 45_000);
    expect(back).toBe(westPort);
    const result = await waitFor(() => echoThrough(westPort, 64 * 1024).catch(() => undefined), 'bytes through west again', 30_000);
    expect(result.received).toBe(result.sent);
  });
});
