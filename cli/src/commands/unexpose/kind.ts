/** `skiff unexpose deployment|statefulset|service|pods NAME [--address A]` (Kubernetes sites): undoes `expose`. */
import { Command } from 'commander';
import { parseName } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { kubeUnexpose } from '../../platform/kubernetes/kube-unexpose.js';
import type { ExposeKind } from '../../platform/kubernetes/kube-exposure-target.js';
import { KIND_HELP, kubernetesOnly, subjectOf } from '../expose/kube-kinds.js';

export function makeUnexposeKindCommand(deps: CliDeps, kind: ExposeKind): Command {
  const { name, example } = KIND_HELP[kind];
  const address = kind === 'pods' ? ' --address hello' : '';
  const command = new Command(kind)
    .description(`Kubernetes: stop exposing ${kind === 'pods' ? 'pods' : `a ${kind}`}`)
    .argument(kind === 'pods' ? '[selector]' : '<name>', name)
    .option('--address <address>', `the address it was exposed as (default: ${kind === 'pods' ? 'none, give one' : 'the name'})`, parseName);
  if (kind === 'pods') command.option('--selector <selector>', 'label selector given to expose (optional: the address finds them)');
  return command
    .addHelpText('after', `\nExamples:\n  skiff unexpose ${kind} ${example}${address} -n east\n  skiff unexpose ${kind}/${example}${address} -n east -o json`)
    .action(async (value: string | undefined, options: { address?: string; selector?: string }, cmd: Command) => {
      const global = kubernetesOnly(deps, cmd);
      // Pods are found again by the address alone; the selector only names them in the output.
      const subject = kind === 'pods' ? { kind, name: options.selector ?? value ?? options.address ?? '' } : subjectOf(kind, value, undefined);
      await kubeUnexpose(deps, global, subject, options.address);
    });
}
