import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/router-process.js';
import { pidOf, processAlive, SkiffHome } from './cli-harness.js';

let home: SkiffHome;
let first: Record<string, unknown>;

beforeAll(async () => {
  home = new SkiffHome();
  first = (await home.ok('init', '--site-name', 'west', '-o', 'json')).json();
});

afterAll(() => home.dispose());

describe('site lifecycle - init, stop, start, delete with a real router', () => {
  it('starts the router in the background and answers /healthz on the http listener', async () => {
    expect(first.running).toBe(true);
    expect(processAlive(pidOf(home, 'west'))).toBe(true);
    const ports = first.ports as { http: number };
    expect((await fetch(`http://127.0.0.1:${ports.http}/healthz`)).status).toBe(200);
    const status = (await home.ok('status', '-o', 'json')).json();
    expect(status).toMatchObject({ site: 'west', running: true, platform: 'local', pid: pidOf(home, 'west'), links: [], incomingLinks: [] });
  });

  it('stops the router and the agent at once, and reports the site stopped', async () => {
    const pid = pidOf(home, 'west');
    const agentPid = Number(readFileSync(home.siteFile('west', 'runtime', 'agent.pid'), 'utf8'));
    const started = Date.now();
    await home.ok('stop');
    // Both leave on SIGTERM, well inside the 5 s after which the platform would kill them.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(processAlive(pid)).toBe(false);
    expect(processAlive(agentPid)).toBe(false);
    expect((await home.ok('status', '-o', 'json')).json()).toMatchObject({ running: false, pid: null });
    expect((await home.ok('stop')).out).toEqual(["Site 'west' was not running."]);
  });

  it('starts again with the same identity and ports', async () => {
    const again = (await home.ok('start', '-o', 'json')).json();
    expect(again).toEqual({ ...first, running: true });
    const ports = first.ports as { http: number };
    expect((await fetch(`http://127.0.0.1:${ports.http}/healthz`)).status).toBe(200);
    expect((await home.ok('start')).out).toEqual(["Site 'west' is already running."]);
  });

  it('starts again after the router died, replacing the site agent it left behind', async () => {
    const pid = pidOf(home, 'west');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !processAlive(pid), 'router death');
    expect((await home.ok('status', '-o', 'json')).json()).toMatchObject({ running: false });
    const agentPid = Number(readFileSync(home.siteFile('west', 'runtime', 'agent.pid'), 'utf8'));
    expect(processAlive(agentPid)).toBe(true);
    expect((await home.ok('start', '-o', 'json')).json()).toEqual({ ...first, running: true });
    expect(processAlive(agentPid)).toBe(false);
  });

  it('after SIGKILL of a linked site\'s router: status says it is not running; start brings back its router id, ports and link', async () => {
    const east = (await home.ok('init', '--site-name', 'east', '-o', 'json')).json();
    const token = home.siteFile('west', 'east-link.token');
    await home.ok('token', 'create', token, '--site', 'west', '--token-type', 'cert');
    await home.ok('link', 'create', token, '--site', 'east');
    await home.ok('link', 'status', '--site', 'east', '--wait', '30');
    const pid = pidOf(home, 'east');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !processAlive(pid), 'router death');
    expect((await home.ok('status', '--site', 'east')).out).toEqual(["Site 'east' is stopped. Use 'skiff start --site east' to run it.", '\tLink link1 not connected (router not running)']);
    expect((await home.ok('status', '--site', 'east', '-o', 'json')).json()).toMatchObject({ running: false, pid: null, links: [{ name: 'link1', connected: false }] });
    const link = await home.run('link', 'status', '--site', 'east');
    expect(link.code).toBe(5);
    expect(link.err[0]).toBe("Error: the router of site 'east' is not running [SKIFF_ERR_ROUTER_NOT_RUNNING]");
    expect((await home.ok('start', '--site', 'east', '-o', 'json')).json()).toEqual({ ...east, running: true });
    expect(pidOf(home, 'east')).not.toBe(pid);
    const status = await home.ok('link', 'status', '--site', 'east', '--wait', '30', '-o', 'json');
    expect(status.json()).toMatchObject({ links: [{ name: 'link1', connected: true }] });
    await waitFor(async () => JSON.stringify((await home.ok('status', '--site', 'west', '-o', 'json')).json().incomingLinks) === JSON.stringify([east.routerId]), 'west to see east again');
    await home.ok('delete', '--site', 'east');
  });

  it('fails to start on a taken port with one line and the log to read', async () => {
    const taken = first.ports as { management: number };
    const result = await home.run('init', '--site-name', 'clash', '--port-base', String(taken.management));
    expect(result.code).toBe(5);
    expect(result.err[0]).toMatch(/^Error: site 'clash' did not start: listen EADDRINUSE: address already in use [\d.]+:\d+ \[SKIFF_ERR_ROUTER_START\]$/);
    expect(result.err[1]).toMatch(/^Hint: see .*clash\/runtime\/router\.log$/);
    await home.ok('delete', '--site', 'clash');
  });

  it('stops at once after its router died: the agent leaves on SIGTERM though its router link is down', async () => {
    await home.ok('init', '--site-name', 'north');
    const agentPid = Number(readFileSync(home.siteFile('north', 'runtime', 'agent.pid'), 'utf8'));
    process.kill(pidOf(home, 'north'), 'SIGKILL');
    // The agent noticed and is reconnecting (it then ignored SIGTERM until killed after 5 s).
    const agentLog = home.siteFile('north', 'runtime', 'agent.log');
    await waitFor(() => existsSync(agentLog) && readFileSync(agentLog, 'utf8').includes('router connection lost'), 'the agent to lose its router connection', 10_000);
    const started = Date.now();
    await home.ok('stop', '--site', 'north');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(processAlive(agentPid)).toBe(false);
    await home.ok('delete', '--site', 'north');
  });

  it('deletes the site: the router and the agent are gone and so is the directory', async () => {
    const pid = pidOf(home, 'west');
    const agentPid = Number(readFileSync(home.siteFile('west', 'runtime', 'agent.pid'), 'utf8'));
    await home.ok('delete', '--site', 'west');
    await waitFor(() => !processAlive(pid) && !processAlive(agentPid), 'router and agent exit');
    expect(existsSync(home.siteFile('west'))).toBe(false);
  });
});
