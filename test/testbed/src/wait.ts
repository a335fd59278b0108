/** Readiness by polling a real condition (never a fixed sleep), with doubling delays. */
import { TestbedError } from './errors.js';

/** Polls `check` until it is true or the deadline passes; a throwing check counts as "not yet". */
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
