/**
 * The in-process parts of the test bed (node agent, service proxy) log to files beside the
 * control plane's, <cluster dir>/logs/, so a failed sync or heartbeat is visible afterwards
 * without cluttering the output of the tests.
 */
import { appendFileSync } from 'node:fs';

export type AgentLog = (message: string) => void;

export function fileLog(path: string): AgentLog {
  return (message) => {
    try {
      appendFileSync(path, `${new Date().toISOString()} ${message}\n`);
    } catch {
      // The state directory is gone: the test bed is being torn down, nothing left to tell.
    }
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const body = (error as { body?: unknown }).body;
    return typeof body === 'string' ? `${error.message} ${body.slice(0, 300)}` : error.message;
  }
  return String(error);
}
