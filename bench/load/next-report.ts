/** Waits for a bench child's next IPC report, failing on exit or timeout instead of hanging. */
import type { ChildProcess } from 'node:child_process';
import { isChildReport, type ChildReport } from './protocol.js';

export async function nextReport(child: ChildProcess, what: string, timeoutMs: number): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if (!isChildReport(message)) return;
      settle();
      resolve(message);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      settle();
      reject(new Error(`${what} exited (${signal ?? `code ${String(code)}`}) without a report`));
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`${what}: no report within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    const settle = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
