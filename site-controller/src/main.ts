/**
 * Entry point of the site-controller image (ADR 0004):
 *   node dist/site-controller/src/main.js                        the controller
 *   node dist/site-controller/src/main.js kube-adaptor [--init]  the sidecar beside each router
 * Each part is imported only when chosen, so neither loads the other's code.
 */
import { ExitCode } from '../../common/src/errors/exit-codes.js';
import { errorLines, SkiffError } from '../../common/src/errors/skiff-error.js';

const USAGE = 'usage: main.js [kube-adaptor [--init]]';

const [command, ...rest] = process.argv.slice(2);
const who = command === 'kube-adaptor' ? 'kube-adaptor' : 'site-controller';
const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} ${who}: ${line}\n`);

process.on('unhandledRejection', (reason) => {
  // A stray rejection inside a library must not take the process down with it; say so and carry on.
  log(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});

if (command === 'kube-adaptor') {
  const { runAdaptor } = await import('./adaptor/main.js');
  await runAdaptor(rest);
} else if (command === undefined) {
  const [{ runController }, { registrations }] = await Promise.all([import('./controller-main.js'), import('./reconcilers/index.js')]);
  await runController(registrations);
} else {
  for (const line of errorLines(new SkiffError('SKIFF_ERR_USAGE', `unknown command '${command}'`, USAGE))) log(line);
  process.exitCode = ExitCode.usage;
}
// Idle keep-alive sockets of the API client would hold the process open after a clean stop.
process.exit(process.exitCode ?? 0);
