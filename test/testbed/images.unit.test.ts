import { describe, expect, test } from 'vitest';
import { containerArgv, imageKey, imageNames, type ImageEntry } from './src/images.js';
import { expandVars } from './src/pod-inputs.js';
import { microTime } from './src/node-registration.js';

const entry: ImageEntry = { entrypoint: ['/bin/server'], cmd: ['--port', '80'], description: '' };

describe('images', () => {
  test('images - registry, tag and digest do not matter', () => {
    expect(imageKey('ghcr.io/skiff/router:0.1')).toBe('skiff/router');
    expect(imageKey('localhost:5000/skiff/router@sha256:abcd')).toBe('skiff/router');
    expect(imageKey('skiff-testbed/hello')).toBe('skiff-testbed/hello');
    expect(imageKey('docker.io/library/busybox:1.36')).toBe('busybox');
    expect(imageNames()).toEqual(expect.arrayContaining(['skiff-testbed/hello', 'skiff-testbed/echo', 'skiff-testbed/client', 'skiff/router']));
  });

  test('images - command replaces entrypoint and cmd; args replace cmd only', () => {
    expect(containerArgv(entry, undefined, undefined)).toEqual(['/bin/server', '--port', '80']);
    expect(containerArgv(entry, undefined, ['--port', '81'])).toEqual(['/bin/server', '--port', '81']);
    expect(containerArgv(entry, ['sh', '-c'], ['echo hi'])).toEqual(['sh', '-c', 'echo hi']);
    expect(containerArgv(entry, ['sleep'], undefined)).toEqual(['sleep']);
  });

  test('images - $(VAR) expands from the environment, $$ escapes, unknown stays', () => {
    expect(expandVars('hi-$(A)-$(B)-$$(A)', { A: 'x' })).toBe('hi-x-$(B)-$(A)');
  });

  test('images - Lease times carry six fractional digits (metav1.MicroTime)', () => {
    expect(microTime(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05.678000Z');
  });
});
