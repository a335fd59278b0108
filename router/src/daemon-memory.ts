/**
 * Gives memory back once a burst is over. V8 grows its heap for a burst of work and holds the
 * burst's buffers until a collection; it shrinks the heap only when collections find the
 * allocation rate low, and a router gone quiet allocates too little to bring one about. Measured:
 * after 10,000 refused connections a router stayed at 146 MiB RSS (59 MiB before) for 80 s and
 * more. So when the event loop has been nearly idle and the heap and its external buffers have
 * grown since they last settled, the router collects, every CHECK_MS while quiet: V8 gives back its
 * young generation only in a collection whose last 5 s saw little allocation, so the series goes
 * on past that, then for as long as collections still free memory.
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { logger } from './log.js';

const log = logger('ROUTER');
const CHECK_MS = 2000;
/** At most this share of the last CHECK_MS spent running: the router is quiet. */
const QUIET_UTILIZATION = 0.05;
/** Growth of heap and external memory since they settled that is worth collecting. */
const GROWTH_BYTES = 8 * 1024 * 1024;
/** Collections in a series, one per quiet check: at least (the last some 6 s into the quiet), and at most. */
const MIN_SERIES = 4;
const MAX_SERIES = 8;
/** Past MIN_SERIES, a collection that frees less than this ends the series. */
const FREED_BYTES = 1024 * 1024;

const MiB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function footprint(): number {
  const heap = getHeapStatistics();
  return heap.total_heap_size + heap.external_memory;
}

export class IdleCollector {
  private timer: NodeJS.Timeout | undefined = undefined;
  private readonly collect: () => void;
  private utilization = performance.eventLoopUtilization();
  private settled = footprint();
  /** Collections so far in the current series, and the footprint before its first. */
  private series = 0;
  private grown = 0;

  constructor() {
    // V8's collector as tests get it: from a new context, once the flag allows it.
    setFlagsFromString('--expose-gc');
    this.collect = runInNewContext('gc') as () => void;
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
    if (this.series === 0) {
      this.settled = Math.min(this.settled, before);
      if (busy || before < this.settled + GROWTH_BYTES) return;
      this.grown = before;
    } else if (busy) {
      this.series = 0;
      return;
    }
    this.collect();
    const after = footprint();
    this.series++;
    if (this.series < MIN_SERIES || (before - after >= FREED_BYTES && this.series < MAX_SERIES)) return;
    this.series = 0;
    this.settled = after;
    log.debug(`quiet after a burst: collected garbage, heap and buffers ${MiB(this.grown)} -> ${MiB(this.settled)}`);
  }
}
