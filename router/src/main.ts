/**
 * `skiff-router --config FILE`: loads a skupper-router JSON config and runs the router until
 * SIGTERM/SIGINT. A bad config prints what is wrong and a hint, and exits with the exit code of its
 * error code (docs/errors.md): 8 for a config, 2 for usage.
 */
import { errorLines } from '../../common/src/errors/skiff-error.js';
import { fatalError, parseCliArgs } from './config/cli-args.js';
import { loadRouterConfig } from './config/load.js';
import { VERSION } from './core/connection-properties.js';
import { RouterDaemon } from './daemon.js';
import { logger } from './log.js';

// A router serves many peers: a bug met while serving one must not take the others down.
process.on('uncaughtException', (err: Error) => logger('ROUTER').error(`internal error (please report): ${err.stack ?? err.message}`));

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2), VERSION);
  if (args.kind !== 'run') {
    process.stdout.write(`${args.text}\n`);
    return;
  }
  const config = loadRouterConfig(args.configPath);
  const daemon = new RouterDaemon(config);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`received ${signal}, stopping\n`);
    daemon.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await daemon.start();
  // A daemon runs until it is told to stop, even while nothing holds its event loop (a connector
  // waiting to retry, a tcpListener waiting for its address): this timer keeps it alive.
  setInterval(() => undefined, 60_000);
}

main().catch((err: unknown) => {
  const error = fatalError(err);
  process.stderr.write(`${errorLines(error).join('\n')}\n`);
  process.exit(error.exitCode);
});
