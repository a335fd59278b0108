/**
 * The completion scripts, run by a real bash (and zsh when installed): what `skiff <words><TAB>`
 * offers.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inertPlatform, SkiffHome } from './cli-harness.js';

let home: SkiffHome;
let script = '';

beforeAll(async () => {
  home = new SkiffHome(inertPlatform);
  script = (await home.ok('completion', 'bash')).out.join('\n');
  for (const site of ['west', 'east']) mkdirSync(join(home.dir, 'sites', site), { recursive: true });
});

afterAll(() => home.dispose());

/** What bash offers for the words typed, the last one being the word under the cursor. */
function complete(...words: string[]): string[] {
  const typed = ['skiff', ...words].map((w) => `'${w}'`).join(' ');
  const run = `${script}\nCOMP_WORDS=(${typed}); COMP_CWORD=${words.length}; _skiff; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = execFileSync('bash', ['--norc', '-c', run], { cwd: home.dir, env: { PATH: process.env.PATH ?? '', SKIFF_HOME: home.dir }, encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').sort();
}

describe('completion - bash', () => {
  it('offers the commands at the top and the subcommands of a group', () => {
    expect(complete('')).toEqual(expect.arrayContaining(['init', 'link', 'token', 'completion', 'version', '--site', '--output']));
    expect(complete('li')).toEqual(['link']);
    expect(complete('link', '')).toEqual(['--context', '--help', '--kubeconfig', '--namespace', '--output', '--platform', '--site', '--version', '-V', '-n', '-o', '-p', 'create', 'delete', 'status']);
    expect(complete('token', 's')).toEqual(['status']);
  });

  it("offers a command's options with the global ones, skipping option values on the way", () => {
    expect(complete('--site', 'west', 'link', 'create', '--')).toEqual(['--context', '--cost', '--help', '--kubeconfig', '--name', '--namespace', '--output', '--platform', '--site', '--version', '--wait']);
    expect(complete('token', 'create', '--token-type', 'cert', '--e')).toEqual(['--expiry']);
  });

  it("offers option choices, the sites in SKIFF_HOME after --site, and the completion command's shells", () => {
    expect(complete('-o', '')).toEqual(['json', 'text', 'yaml']);
    expect(complete('-p', '')).toEqual(['kubernetes', 'local']);
    expect(complete('init', '--router-mode', '')).toEqual(['edge', 'interior']);
    expect(complete('status', '--site', '')).toEqual(['east', 'west']);
    expect(complete('completion', '')).toEqual(expect.arrayContaining(['bash', 'zsh']));
  });

  it("offers expose's kinds, and a KIND/NAME word completes as KIND NAME (Skupper v1's form)", () => {
    expect(complete('expose', '')).toEqual(expect.arrayContaining(['host', 'deployment', 'statefulset', 'service', 'pods']));
    expect(complete('unexpose', 'st')).toEqual(['statefulset']);
    expect(complete('expose', 'deployment/hello', '--')).toEqual(['--address', '--context', '--help', '--kubeconfig', '--namespace', '--output', '--platform', '--port', '--site', '--version']);
    expect(complete('expose', 'pods', '--port', '8080', '--se')).toEqual(['--selector']);
  });

  it('completes file names where a command takes a file', () => {
    expect(complete('link', 'create', 'sit')).toEqual(['sites']);
  });
});

describe('completion - zsh and usage', () => {
  it('prints a zsh script that loads bashcompinit and registers the same function', async () => {
    const zsh = (await home.ok('completion', 'zsh')).out.join('\n');
    expect(zsh).toMatch(/^# skiff completion for zsh/);
    expect(zsh).toContain('bashcompinit');
    expect(zsh).toContain('complete -F _skiff skiff');
  });

  it('refuses an unknown shell with a usage error', async () => {
    const run = await home.run('completion', 'fish');
    expect(run.code).toBe(2);
    expect(run.err[0]).toMatch(/\[SKIFF_ERR_USAGE\]$/);
  });
});
