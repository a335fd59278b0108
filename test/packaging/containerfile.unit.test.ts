import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../testbed/src/paths.js';
import { containerfileStages, INSTALL_PREFIX } from './containerfile.js';

const stages = containerfileStages();
const stage = (name: string) => stages.find((s) => s.name === name);

describe('Containerfile', () => {
  test('Containerfile - router, service-controller and site-controller images, site-controller the default target', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime', 'router', 'service-controller', 'site-controller']);
    expect(stage('router')?.from).toBe('runtime');
    expect(stage('service-controller')?.from).toBe('runtime');
    expect(stage('site-controller')?.from).toBe('runtime');
  });

  test('Containerfile - images run as 65532 from the packed package, not from the sources', () => {
    const runtime = stage('runtime')?.lines ?? [];
    expect(runtime).toContain('USER 65532:65532');
    expect(runtime.join('\n')).toMatch(/npm install --prefix \/opt\/skiff --omit=dev .*skiff-\*\.tgz/);
    expect(stage('build')?.lines.join('\n')).toMatch(/npm run build && .*npm pack/);
  });

  test('Containerfile - the router ENTRYPOINT is the package bin skiff-router', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['skiff-router']).toBeDefined();
    expect(stage('router')?.entrypoint).toEqual([`${INSTALL_PREFIX}/node_modules/.bin/skiff-router`]);
    expect(stage('site-controller')?.entrypoint).toEqual(['node', `${INSTALL_PREFIX}/node_modules/skiff/dist/site-controller/src/main.js`]);
    expect(stage('service-controller')?.entrypoint).toEqual(['node', `${INSTALL_PREFIX}/node_modules/skiff/dist/service-controller/src/main.js`]);
  });

  test('Containerfile - .dockerignore and .containerignore agree', () => {
    expect(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, '.containerignore'), 'utf8'));
  });
});
