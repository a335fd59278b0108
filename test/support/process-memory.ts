/** A process's memory as Linux counts it (/proc/PID/status): resident now and at its peak, in bytes. */
import { readFileSync } from 'node:fs';

export function memoryOf(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const bytes = (field: string): number => {
    const kB = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1];
    if (kB === undefined) throw new Error(`no ${field} for pid ${pid}`);
    return Number(kB) * 1024;
  };
  return { now: bytes('VmRSS'), peak: bytes('VmHWM') };
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
