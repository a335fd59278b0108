/**
 * `kube-adaptor [--init]`, the sidecar in every router pod (ADR 0004): with `--init` (the init
 * container) it writes the sslProfile files and exits; otherwise it keeps the router at its config
 * until SIGTERM. Problems it cannot wait out are logged with a hint and end it with their exit code.
 */
import { ExitCode } from '../../../common/src/errors/exit-codes.js';
import { errorLines, logFailure, SkiffError } from '../../../common/src/errors/skiff-error.js';
import { startAdaptor } from './adaptor.js';
import { initCertFiles } from './init.js';
import { describeApiError, loadKubeConfig } from './kube-reads.js';
import { adaptorSettings } from './settings.js';

const USAGE = 'usage: kube-adaptor [--init]';

export async function runAdaptor(argv: string[]): Promise<void> {
  const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} kube-adaptor: ${line}\n`);
  const unknown = argv.filter((arg) => arg !== '--init');
  if (unknown.length > 0) {
    for (const line of errorLines(new SkiffError('SKIFF_ERR_USAGE', `unknown argument ${unknown.join(' ')}`, USAGE))) log(line);
    process.exitCode = ExitCode.usage;
    return;
  }
  try {
    const settings = adaptorSettings(process.env);
    const kc = loadKubeConfig();
    if (argv.includes('--init')) {
      await initCertFiles(kc, settings, log);
      log('init done');
      return;
    }
    const adaptor = await startAdaptor(kc, settings, log);
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', () => resolve());
      process.once('SIGINT', () => resolve());
    });
    log('stopping');
    await adaptor.stop();
  } catch (error) {
    process.exitCode = logFailure(error, log, (e) => `failed: ${describeApiError(e)}`);
  }
}
