/**
 * The components that run beside the reconcilers, in start order (the router connection, started
 * by main, comes first). Service sync is a registration (reconcilers/index.ts): it needs Listener
 * events and synced caches.
 */
import type { Component } from './component.js';
import type { ServiceControllerDeps } from './deps.js';

export function components(_deps: ServiceControllerDeps): Component[] {
  return [];
}
