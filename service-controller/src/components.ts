/**
 * The components that run beside the reconcilers, in start order (the router connection, started
 * by main, comes first). Service sync adds itself here.
 */
import type { Component } from './component.js';
import type { ServiceControllerDeps } from './deps.js';

export function components(_deps: ServiceControllerDeps): Component[] {
  return [];
}
