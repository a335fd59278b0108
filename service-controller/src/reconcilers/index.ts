/**
 * The service-controller's reconcilers and what each one watches besides its own kind
 * (site-controller/src/runtime/context.ts). Annotation-driven exposure adds its registration here.
 */
import type { ReconcilerRegistration } from '../../../site-controller/src/runtime/context.js';
import type { ServiceControllerDeps } from '../deps.js';

export function registrations(_deps: ServiceControllerDeps): ReconcilerRegistration[] {
  return [];
}
