/**
 * The router's command line: `skiff-router [--config FILE]`, as skrouterd takes `-c FILE`, plus
 * `--help` and `--version`; and what the entry point prints when it has to stop (never a stack
 * trace): `Error: ... [code]` and `Hint: ...`, as the CLI does.
 */
import { SkiffError } from '../../../common/src/errors/skiff-error.js';
import { isSystemError, UsageError } from '../errors.js';

/** skrouterd's default config file, so a container built for skupper-router runs unchanged. */
export const DEFAULT_CONFIG_PATH = '/etc/skupper-router/skrouterd.json';

export type CliCommand =
  | { kind: 'run'; configPath: string }
  | { kind: 'help'; text: string }
  | { kind: 'version'; text: string };

const PROGRAM = 'skiff-router';

export function usage(): string {
  return [
    `Usage: ${PROGRAM} [--config FILE]`,
    '',
    'Runs a Skiff router: an AMQP 1.0 router that carries TCP between sites,',
    'configured by a skupper-router JSON file ([entityType, {attributes}] pairs).',
    '',
    'Options:',
    `  -c, --config FILE   configuration file (default ${DEFAULT_CONFIG_PATH})`,
    '  -h, --help          print this help and exit',
    '  -v, --version       print the version and exit',
  ].join('\n');
}

/** Parses the arguments after the program name (`process.argv.slice(2)`). */
export function parseCliArgs(argv: readonly string[], version: string): CliCommand {
  let configPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { kind: 'help', text: usage() };
    if (arg === '-v' || arg === '--version') return { kind: 'version', text: `${PROGRAM} ${version}` };
    let value: string | undefined;
    if (arg === '-c' || arg === '--config') {
      value = argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${arg} needs a file name`);
    } else if (arg.startsWith('--config=')) {
      value = arg.slice('--config='.length);
      if (value === '') throw new UsageError('--config= needs a file name');
    } else {
      throw new UsageError(`unknown argument '${arg}'`);
    }
    if (configPath !== undefined) throw new UsageError('--config given twice');
    configPath = value;
  }
  return { kind: 'run', configPath: configPath ?? DEFAULT_CONFIG_PATH };
}

/**
 * What the entry point stops on, as a SkiffError: Skiff's own as they are; a socket the system
 * refused (a port in use, an address not on this host) as a start that failed; anything else as
 * a bug. Foreign messages keep their first line only: their stack is of no use to an operator.
 */
export function fatalError(error: unknown): SkiffError {
  if (error instanceof SkiffError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'unknown error';
  if (isSystemError(error)) {
    return new SkiffError('SKIFF_ERR_ROUTER_START', first, 'free the port or fix the listener\'s host and port in the configuration');
  }
  return new SkiffError('SKIFF_ERR_INTERNAL', first, 'this is a bug in skiff-router: report it with the log');
}
