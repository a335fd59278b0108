/**
 * The kinds `expose` and `unexpose` take on Kubernetes sites besides `host` (Skupper v1's):
 * Deployments, StatefulSets and Services by name, and pods by label selector. On a local site they
 * say a Kubernetes site is needed.
 */
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { usage } from '../../errors.js';
import { globalOptions } from '../../global-options.js';
import type { ExposeKind, ExposureSubject } from '../../platform/kubernetes/kube-exposure-target.js';
import { platformOf } from '../../platform/kubernetes/platform-choice.js';

export const KIND_HELP: Record<ExposeKind, { what: string; name: string; example: string }> = {
  deployment: { what: "a Deployment's pods", name: 'the Deployment', example: 'hello' },
  statefulset: { what: "a StatefulSet's pods", name: 'the StatefulSet', example: 'db' },
  service: { what: "a Service's pods (under its own name: takes the Service over, restored on unexpose)", name: 'the Service', example: 'backend' },
  pods: { what: 'the pods a label selector matches', name: 'label selector (or --selector)', example: 'app=hello' },
};

/** The global options, once the command is known to run on a Kubernetes site. */
export function kubernetesOnly(deps: CliDeps, command: Command): GlobalOptions {
  const global = globalOptions(command);
  if (platformOf(deps, global) !== 'kubernetes') {
    const path = `${command.parent?.name() ?? ''} ${command.name()}`;
    throw usage(`'skiff ${path}' needs a Kubernetes site, and this command runs on a local site`, `name the site's namespace with -n NAMESPACE (or --platform kubernetes); on a local site use 'skiff ${command.parent?.name() ?? 'expose'} host HOST'`);
  }
  return global;
}

/** KIND NAME, or for pods the selector given as NAME or with --selector. */
export function subjectOf(kind: ExposeKind, name: string | undefined, selector: string | undefined): ExposureSubject {
  const value = kind === 'pods' ? (selector ?? name) : name;
  if (value === undefined || value === '') throw usage(`${kind} needs ${KIND_HELP[kind].name}`, kind === 'pods' ? "add --selector KEY=VALUE (or write pods/KEY=VALUE)" : `add the ${kind}'s name`);
  return { kind, name: value };
}
