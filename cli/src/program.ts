/**
 * The command tree. Commands are built from their own modules with the same injected deps, and
 * every one of them throws instead of exiting so `runCli` is the only place that decides exit codes.
 * Commands that work on Kubernetes choose the platform themselves; the others refuse a Kubernetes
 * site when one is asked for.
 */
import { Command, Option } from 'commander';
import { packageVersion } from '../../common/src/package-version.js';
import type { CliDeps } from './deps.js';
import { makeCompletionCommand } from './commands/completion/completion.js';
import { makeDebugCommand } from './commands/debug/debug.js';
import { makeDeleteCommand } from './commands/delete/delete.js';
import { makeExposeCommand } from './commands/expose/expose.js';
import { makeInitCommand } from './commands/init/init.js';
import { makeLinkCommand } from './commands/link/link.js';
import { makeNetworkCommand } from './commands/network/network.js';
import { makeServiceCommand } from './commands/service/service.js';
import { makeStartCommand } from './commands/start/start.js';
import { makeStatusCommand } from './commands/status/status.js';
import { makeStopCommand } from './commands/stop/stop.js';
import { makeTokenCommand } from './commands/token/token.js';
import { makeUnexposeCommand } from './commands/unexpose/unexpose.js';
import { makeVersionCommand } from './commands/version/version.js';
import { usage } from './errors.js';
import { globalOptions } from './global-options.js';
import { kubernetesRequested } from './platform/kubernetes/platform-choice.js';

export function makeProgram(deps: CliDeps): Command {
  const program: Command = new Command('skiff')
    .description('Connect services across sites over a mutual-TLS AMQP router mesh')
    .version(packageVersion(), '-V, --version', "print skiff's version")
    .addOption(new Option('-o, --output <format>', 'output format (json and yaml print the same object)').choices(['text', 'json', 'yaml']).default('text'))
    .option('--site <name>', 'local site to work on (default: $SKIFF_SITE, or the only site)')
    .addOption(new Option('-p, --platform <platform>', 'where the site is: local or kubernetes (default: $SKIFF_PLATFORM, else chosen as cli/README.md says)').choices(['local', 'kubernetes']))
    .option('-n, --namespace <namespace>', "Kubernetes namespace of the site (default: the context's, else default)")
    .option('--context <context>', 'kubeconfig context to use (default: its current context)')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .addHelpText('after', '\nExamples:\n  skiff init --site-name west\n  skiff token create west.token --site west\n  skiff link create west.token --site east\n  skiff status -o json\n  skiff init -n west --context c1 --enable-link-access')
    .addCommand(makeInitCommand(deps))
    .addCommand(makeStartCommand(deps))
    .addCommand(makeStopCommand(deps))
    .addCommand(makeDeleteCommand(deps))
    .addCommand(makeStatusCommand(deps))
    .addCommand(makeTokenCommand(deps))
    .addCommand(makeLinkCommand(deps))
    .addCommand(makeExposeCommand(deps))
    .addCommand(makeUnexposeCommand(deps))
    .addCommand(makeServiceCommand(deps))
    .addCommand(makeNetworkCommand(deps))
    .addCommand(makeVersionCommand(deps))
    .addCommand(makeDebugCommand(deps, makeProgram))
    .addCommand(makeCompletionCommand(deps, () => program))
    .hook('preAction', (_root, action) => refuseOnKubernetes(deps, action));
  configureTree(program, deps);
  return program;
}

/** Commands for local sites only (a Kubernetes site's router is a Deployment); every other works on both, or needs no site. */
const LOCAL_ONLY = new Set(['start', 'stop']);

function refuseOnKubernetes(deps: CliDeps, action: Command): void {
  const path: string[] = [];
  for (let c: Command | null = action; c?.parent; c = c.parent) path.unshift(c.name());
  const name = path.join(' ');
  if (LOCAL_ONLY.has(name) && kubernetesRequested(globalOptions(action), deps.env)) {
    throw usage(`'skiff ${name}' works on local sites only, and a Kubernetes site was asked for`, `a Kubernetes site's router is a Deployment that the site-controller runs; drop -p/-n/--context/--kubeconfig for a local site`);
  }
}

/** addCommand() does not pass settings down, so each command gets them here. */
function configureTree(command: Command, deps: CliDeps): void {
  command.exitOverride().configureOutput({
    writeOut: (text) => deps.out(text.replace(/\n$/, '')),
    writeErr: (text) => deps.err(text.replace(/\n$/, '')),
    // runCli prints usage errors itself, as one line and a hint.
    outputError: () => undefined,
  });
  for (const sub of command.commands) configureTree(sub, deps);
}
