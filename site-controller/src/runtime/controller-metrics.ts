/** The controller's Prometheus series: reconciles by outcome, errors and queue depth, per kind. */
import type { Counter, Metrics } from './metrics.js';

export const ReconcileResult = { success: 'success', error: 'error', requeue: 'requeue' } as const;
export type ReconcileOutcome = (typeof ReconcileResult)[keyof typeof ReconcileResult];

export class ControllerMetrics {
  private readonly reconciles: Counter;
  private readonly errors: Counter;
  private readonly depths = new Map<string, () => number>();

  constructor(metrics: Metrics) {
    this.reconciles = metrics.counter('skiff_reconcile_total', 'Reconciles by kind and result (success, error, requeue).');
    this.errors = metrics.counter('skiff_reconcile_errors_total', 'Reconciles that failed, terminal failures included.');
    metrics.gauge('skiff_workqueue_depth', 'Keys waiting in the work queue of each kind.', () =>
      [...this.depths].map(([kind, depth]) => [{ kind }, depth()] as const),
    );
  }

  /** Every series of `kind` at 0, before its first reconcile. */
  register(kind: string): void {
    for (const result of Object.values(ReconcileResult)) this.reconciles.zero({ kind, result });
    this.errors.zero({ kind });
    if (!this.depths.has(kind)) this.depths.set(kind, () => 0);
  }

  /** Where the depth of `kind`'s queue is read from (undefined: no queue runs, depth 0). */
  depthOf(kind: string, read: (() => number) | undefined): void {
    this.depths.set(kind, read ?? (() => 0));
  }

  reconciled(kind: string, result: ReconcileOutcome): void {
    this.reconciles.inc({ kind, result });
    if (result === ReconcileResult.error) this.errors.inc({ kind });
  }

  count(kind: string, result: ReconcileOutcome): number {
    return this.reconciles.value({ kind, result });
  }
}
