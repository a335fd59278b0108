/**
 * controller-runtime's contract (reference: STYLE.md §6): a request is a key, never an event; a
 * reconcile reads the current state from caches and converges it. Throwing requeues the key with
 * backoff; a TerminalError is logged and counted but not retried; `requeueAfterMs` checks again later.
 */
export interface ObjectKey {
  namespace: string;
  name: string;
}

export interface ReconcileResult {
  requeueAfterMs?: number;
}

export interface Reconciler {
  /** Kind of the objects whose keys this reconciler is given (for logs and metrics). */
  readonly kind: string;
  reconcile(key: ObjectKey): Promise<ReconcileResult | undefined>;
}

/** A failure that retrying cannot fix (bad input); report it in status and wait for a change. */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

export function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function parseKey(key: string): ObjectKey {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Read access to an informer's store: what reconcilers read instead of calling the API. */
export interface Cache<T> {
  get(namespace: string, name: string): T | undefined;
  /** Every object, or those of one namespace. */
  list(namespace?: string): T[];
}
