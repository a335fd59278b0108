/** Free loopback ports for the control plane, asked of the kernel rather than guessed. */
import { createServer } from 'node:net';
import { TestbedError } from './errors.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` with doubling delays (capped) until it is true or the deadline passes. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  let delay = 50;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // Not there yet: the component is still starting.
    }
    if (Date.now() > end) throw new TestbedError('SKIFF_ERR_TESTBED_TIMEOUT', `timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
}
