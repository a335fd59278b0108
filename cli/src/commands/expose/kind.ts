/**
 * `skiff expose deployment|statefulset|service|pods NAME --port P[:T] [--address A]` (Kubernetes
 * sites; also written `deployment/NAME`): Listeners and Connectors for the address, as ADR 0005 says.
 */
import { Command } from 'commander';
import type { PortMapping } from '../../../../common/src/kube-api/exposure.js';
import { parseName } from '../../arg-parsers.js';
import type { CliDeps } from '../../deps.js';
import { kubeExposeHeadless } from '../../platform/kubernetes/expose-headless.js';
import { kubeExpose } from '../../platform/kubernetes/kube-expose.js';
import type { ExposeKind } from '../../platform/kubernetes/kube-exposure-target.js';
import { KIND_HELP, kubernetesOnly, subjectOf } from './kube-kinds.js';
import { collectPorts } from './port-option.js';

interface Options {
  port?: PortMapping[];
  address?: string;
  selector?: string;
  headless?: boolean;
}

export function makeExposeKindCommand(deps: CliDeps, kind: ExposeKind): Command {
  const { what, name, example } = KIND_HELP[kind];
  const address = kind === 'pods' ? ' --address hello' : '';
  const command = new Command(kind)
    .description(`Kubernetes: make ${what} available on the network`)
    .argument(kind === 'pods' ? '[selector]' : '<name>', name)
    .option('--port <port[:targetPort]>', 'service port, and the port the pods serve it on when it differs; repeat or comma-separate for several (default: the ports the target declares)', collectPorts)
    .option('--address <address>', `routing address and name of the Service on every site (default: ${kind === 'pods' ? 'none, give one' : 'the name'})`, parseName);
  if (kind === 'pods') command.option('--selector <selector>', 'label selector of the pods (KEY=VALUE,...)');
  if (kind === 'statefulset') command.option('--headless', 'per-pod names on the other sites (NAME-0.SERVICE, …), each reaching that pod; the address is the governing Service');
  return command
    .addHelpText('after', `\nExamples:\n  skiff expose ${kind} ${example}${address} --port 8080 -n east\n  skiff expose ${kind}/${example}${address} --port 80:8080 --port 9090 -n east -o json`)
    .action(async (value: string | undefined, options: Options, cmd: Command) => {
      const global = kubernetesOnly(deps, cmd);
      if (options.headless === true) return kubeExposeHeadless(deps, global, { statefulSet: subjectOf(kind, value, undefined).name, ports: options.port, address: options.address });
      await kubeExpose(deps, global, { subject: subjectOf(kind, value, options.selector), ports: options.port, address: options.address });
    });
}
