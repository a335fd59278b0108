/**
 * The command tree. Commands are built from their own modules with the same injected deps, and
 * every one of them throws instead of exiting so `runCli` is the only place that decides exit codes.
 */
import { Command, Option } from 'commander';
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

export function makeProgram(deps: CliDeps): Command {
  const program = new Command('skiff')
    .description('Connect services across sites over a mutual-TLS AMQP router mesh')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--site <name>', 'site to work on (default: $SKIFF_SITE, or the only site)')
    .addHelpText('after', '\nExamples:\n  skiff init --site-name west\n  skiff token create west.token --site west\n  skiff link create west.token --site east\n  skiff status -o json')
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
    .addCommand(makeCompletionCommand(deps, () => program));
  configureTree(program, deps);
  return program;
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
