/**
 * Holds idle streams open through a path. Each stream is proven end to end with one echoed byte
 * (so the relays have set up both sides) and then left alone. The parent asks for a total over IPC
 * and reads each relay's RSS once the answer comes; the streams close when the parent goes away.
 */
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSocket, roundTrip } from './client-socket.js';
import { ECHO_BYTE, isHoldRequest, type ChildReport } from './protocol.js';

const probe = Buffer.of(ECHO_BYTE);
/** Opens in flight at once: enough to fill a relay's accept queue, few enough not to overflow it. */
const CONCURRENCY = 64;
/** Time allowed to reach one requested total. */
const STEP_TIMEOUT_MS = 120_000;
/**
 * A router closes its tcpListener while the far end's address is unreachable (e.g. its link is
 * re-established under load). Refusals are counted and reported, and opening goes on after a
 * pause, so the RSS figure still comes at the asked count when the path recovers in time.
 */
const REFUSED_PAUSE_MS = 200;

export function holdIdleStreams(port: number): void {
  const held: Socket[] = [];
  const report = (r: ChildReport): void => void process.send?.(r);

  const growTo = async (total: number): Promise<{ error: string | undefined; refused: number }> => {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    let firstError: string | undefined;
    let refused = 0;
    // Opens under way count against the total, so concurrent workers never overshoot it.
    let opening = 0;
    const worker = async (): Promise<void> => {
      while (held.length + opening < total && firstError === undefined) {
        if (Date.now() > deadline) {
          firstError = `timed out after ${STEP_TIMEOUT_MS} ms`;
          return;
        }
        opening++;
        const opened = await openSocket(port).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
        opening--;
        if (opened instanceof Error) {
          if ((opened as NodeJS.ErrnoException).code !== 'ECONNREFUSED') {
            firstError ??= opened.message;
            return;
          }
          refused++;
          await sleep(REFUSED_PAUSE_MS);
          continue;
        }
        opened.on('error', () => undefined);
        held.push(opened);
        await roundTrip(opened, probe).catch((error: unknown) => void (firstError ??= error instanceof Error ? error.message : String(error)));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return { error: firstError, refused };
  };

  process.on('message', (message: unknown) => {
    if (!isHoldRequest(message)) return;
    void growTo(message.total).then(({ error, refused }) => {
      const count = held.filter((s) => !s.destroyed).length;
      report(error === undefined ? { type: 'holding', count, refused } : { type: 'holding', count, refused, error });
    });
  });
  process.once('disconnect', () => {
    for (const socket of held) socket.destroy();
  });
}
