/**
 * A control-plane process that exits while the test bed waits for it ends the wait at once,
 * with its exit code and the last lines of its log (it used to wait out the whole timeout).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkRunning } from './src/control-plane.js';
import { ManagedProcess } from './src/process.js';
import { waitFor } from './src/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('early exit', () => {
  test('early exit - waiting on a process that exits fails at once with its code and last log lines', async () => {
    const proc = new ManagedProcess({ command: 'sh', args: ['-c', 'for i in $(seq 1 30); do echo line $i; done; echo "bad flag --nope" >&2; exit 3'], logFile: join(dir, 'sh.log') });
    const started = Date.now();
    const wait = waitFor('something that never comes', () => {
      checkRunning({ processes: [proc] });
      return false;
    }, 60_000);
    await expect(wait).rejects.toThrow(/^sh exited with code 3; last lines of .*sh\.log:\n(line \d+\n){14}bad flag --nope$/);
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(wait).rejects.toMatchObject({ code: 'SKIFF_ERR_TESTBED_START' });
  });
});
