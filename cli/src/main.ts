/** Entry point of `skiff`: real environment, real output, the local platform. */
import { runCli } from './cli.js';
import { LocalPlatform } from './platform/local-platform.js';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  platform: new LocalPlatform(process.env),
  now: () => new Date(),
});
