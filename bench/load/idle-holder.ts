/**
 * Holds idle streams open through a path. Each stream is proven end to end with one echoed byte
 * (so the relays have set up both sides) and then left alone. The parent asks for a total over IPC
 * and reads each relay's RSS once the answer comes; the streams close when the parent goes away.
 */
import type { Socket } from 'node:net';
import { openSocket, roundTrip } from './client-socket.js';
import { ECHO_BYTE, isHoldRequest, type ChildReport } from './protocol.js';

const probe = Buffer.of(ECHO_BYTE);
/** Opens in flight at once: enough to fill a relay's accept queue, few enough not to overflow it. */
const CONCURRENCY = 64;
/** Time allowed to reach one requested total. */
const STEP_TIMEOUT_MS = 120_000;

export function holdIdleStreams(port: number): void {
  const held: Socket[] = [];
  const report = (r: ChildReport): void => void process.send?.(r);

  const growTo = async (total: number): Promise<string | undefined> => {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    let firstError: string | undefined;
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
          firstError ??= opened.message;
          return;
        }
        opened.on('error', () => undefined);
        held.push(opened);
        await roundTrip(opened, probe).catch((error: unknown) => void (firstError ??= error instanceof Error ? error.message : String(error)));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return firstError;
  };

  process.on('message', (message: unknown) => {
    if (!isHoldRequest(message)) return;
    void growTo(message.total).then((error) => {
      const alive = held.filter((s) => !s.destroyed).length;
      report(error === undefined ? { type: 'holding', count: alive } : { type: 'holding', count: alive, error });
    });
  });
  process.once('disconnect', () => {
    for (const socket of held) socket.destroy();
  });
}
