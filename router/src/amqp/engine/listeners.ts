/**
 * The listeners of one event (a connection opened or closed, a link detached): each party that
 * cares adds its own, instead of saving and chaining the one before it.
 */
export class Listeners<A extends unknown[]> {
  private readonly listeners = new Set<(...args: A) => void>();

  add(listener: (...args: A) => void): void {
    this.listeners.add(listener);
  }

  delete(listener: (...args: A) => void): void {
    this.listeners.delete(listener);
  }

  /** Calls every listener, in the order they were added. */
  emit(...args: A): void {
    for (const listener of this.listeners) listener(...args);
  }
}
