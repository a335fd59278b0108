/** A pod's volume may not hide the repository that test-bed images run from. */
import { describe, expect, test } from 'vitest';
import { mountHidesRepository } from './src/mount-points.js';

describe('mount points', () => {
  test('mount points - a mount at the repository or above it is refused with the fix named', () => {
    for (const path of ['/tmp', '/tmp/', '/tmp/ci', '/', '/tmp/ci/..']) {
      expect(mountHidesRepository(path, '/tmp/ci'), path).toMatch(/would hide the repository at \/tmp\/ci .*move the checkout/);
    }
  });

  test('mount points - a mount beside or inside the repository is allowed', () => {
    for (const path of ['/tmpx', '/var/run/secrets/kubernetes.io/serviceaccount', '/etc/skupper-router-certs', '/tmp/ci/dist/x', '/tmp/cix']) {
      expect(mountHidesRepository(path, '/tmp/ci'), path).toBeUndefined();
    }
  });
});
