/** Readiness by polling a real condition (never a fixed sleep), with doubling delays. */
import { TestbedError } from './errors.js';

/**
 * Thrown by a check to stop waiting at once: what it waits for can no longer happen (a process
 * it waits on has exited, a daemon reported failure). waitFor rethrows `reason`.
 */
export class GiveUp extends Error {
  override readonly name = 'GiveUp';
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

/** Polls `check` until it is true or the deadline passes; a throwing check counts as "not yet". */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  let delay = 50;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      if (error instanceof GiveUp) throw error.reason;
      // Otherwise not there yet: the component is still starting.
    }
    if (Date.now() > end) throw new TestbedError('SKIFF_ERR_TESTBED_TIMEOUT', `timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 1000);
  }
}
