/**
 * The test bed's start-up check: every missing prerequisite is named with what to do, at once
 * (a host without nft used to wait 300 s and say only "timed out").
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkPrerequisites, findProblems } from './src/prerequisites.js';

const empty = mkdtempSync(join(tmpdir(), 'skiff-prereq-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('prerequisites', () => {
  test('prerequisites - a PATH without the host tools names each tool and the packages to install', () => {
    const problems = findProblems({ uid: 0, path: empty });
    const tools = problems.find((p) => p.what.startsWith('no '));
    expect(tools?.what).toBe('no `ip`, `nft`, `openssl`, `nsenter`, `mount`, `sh` on PATH');
    expect(tools?.fix).toContain('apt-get install -y iproute2 nftables openssl util-linux mount dash');
  });

  test('prerequisites - not root is refused with what to do', () => {
    const problems = findProblems({ uid: 1000, path: process.env['PATH'] ?? '' });
    expect(problems.map((p) => `${p.what}: ${p.fix}`)).toContain('not running as root (network namespaces and nftables need it): run it as root (sudo)');
  });

  test('prerequisites - missing component binaries point at the build step', () => {
    const saved = process.env['SKIFF_TESTBED_CACHE'];
    process.env['SKIFF_TESTBED_CACHE'] = empty;
    try {
      const built = findProblems({ uid: 0, path: '' }).find((p) => p.what.includes('not built'));
      expect(built?.what).toMatch(/^etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, helm not built/);
      expect(built?.fix).toContain('npm run testbed:build');
    } finally {
      if (saved === undefined) delete process.env['SKIFF_TESTBED_CACHE'];
      else process.env['SKIFF_TESTBED_CACHE'] = saved;
    }
  });

  test('prerequisites - checkPrerequisites throws one error naming all problems; tools are executables found on PATH', () => {
    expect(() => checkPrerequisites({ uid: 1000, path: empty })).toThrow(/cannot start on this host: not running as root.*; no `ip`, `nft`/);
    try {
      checkPrerequisites({ uid: 1000, path: empty });
    } catch (error) {
      expect((error as { code?: string }).code).toBe('SKIFF_ERR_TESTBED_PREREQUISITES');
    }
    // Tools are looked up as executables on the given PATH, whatever the host has.
    const tools = join(empty, 'tools');
    mkdirSync(tools);
    for (const tool of ['ip', 'nft', 'openssl', 'nsenter', 'mount', 'sh']) writeFileSync(join(tools, tool), '#!/bin/sh\n', { mode: 0o755 });
    expect(findProblems({ uid: 0, path: `/nonexistent:${tools}` }).filter((p) => p.what.startsWith('no '))).toEqual([]);
    chmodSync(join(tools, 'nft'), 0o644);
    expect(findProblems({ uid: 0, path: tools }).map((p) => p.what)).toContain('no `nft` on PATH');
  });
});
