/**
 * Gives memory back once a burst is over. For a burst V8 grows its young generation (up to
 * 3 × 64 MiB on Node 24) and keeps the pages it frees in a pool; both go back only when its memory
 * reducer decides the process is idle, which a quiet router may wait a long time for. Measured on
 * Node 24: after 10,000 garbage connections the heap had 154 MiB committed with 12 MiB live, and
 * the router's RSS stayed near 190 MiB (85 MiB before) for 15 s to 80 s and more. So when the
 * event loop is quiet and heap plus buffers have grown since they last settled, the router runs
 * the collection V8 keeps for running out of memory: it shrinks the young generation and empties
 * the pool, and RSS is back within a second or two. (Node 22 and 24 take the options object; Node
 * 20's collector misreads it and does a minor collection.)
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { logger } from './log.js';

const log = logger('ROUTER');
const CHECK_MS = 2000;
/** At most this share of the last CHECK_MS spent running: the router is quiet. */
const QUIET_UTILIZATION = 0.05;
/** Growth of heap and external memory since they settled that is worth a collection. */
const GROWTH_BYTES = 8 * 1024 * 1024;

type Collector = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

const MiB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function footprint(): number {
  const heap = getHeapStatistics();
  return heap.total_heap_size + heap.external_memory;
}

export class IdleCollector {
  private timer: NodeJS.Timeout | undefined = undefined;
  private readonly collect: Collector;
  private utilization = performance.eventLoopUtilization();
  private settled = footprint();

  constructor() {
    // V8's collector as tests get it: from a new context, once the flag allows it.
    setFlagsFromString('--expose-gc');
    this.collect = runInNewContext('gc') as Collector;
  }

  start(): void {
    this.timer = setInterval(() => this.check(), CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const busy = performance.eventLoopUtilization(this.utilization).utilization > QUIET_UTILIZATION;
    this.utilization = performance.eventLoopUtilization();
    const before = footprint();
    this.settled = Math.min(this.settled, before);
    if (busy || before < this.settled + GROWTH_BYTES) return;
    this.collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    this.settled = footprint();
    log.debug(`quiet after a burst: collected garbage, heap and buffers ${MiB(before)} -> ${MiB(this.settled)}`);
  }
}
