/**
 * The load generator, run as a child process of run.ts so it never competes with the server's
 * event loop. Takes one job (JSON in argv[2]), runs it, and reports its figures over IPC; the idle
 * job instead stays up and answers hold requests until its parent disconnects.
 */
import { connectRate } from './connect-rate.js';
import { holdIdleStreams } from './idle-holder.js';
import { pingPong } from './ping-pong.js';
import { parseJob, type ChildReport, type Figures, type GeneratorJob } from './protocol.js';
import { download, upload } from './throughput.js';

async function run(job: GeneratorJob): Promise<Figures> {
  switch (job.kind) {
    case 'upload':
      return upload(job.port, job.seconds, job.streams);
    case 'download':
      return download(job.port, job.seconds);
    case 'connect':
      return connectRate(job.port, job.seconds, job.clients);
    case 'ping-pong':
      return pingPong(job.port, job.seconds);
    case 'idle':
      throw new Error('idle jobs do not finish');
  }
}

/** Sends the one report of a timed job, then lets the process end once it has gone out. */
const reportAndLeave = (r: ChildReport): void => void process.send?.(r, () => process.disconnect());
const job = parseJob(process.argv[2]);
if (job.kind === 'idle') {
  holdIdleStreams(job.port);
} else {
  run(job).then(
    (figures) => reportAndLeave({ type: 'figures', figures }),
    (error: unknown) => reportAndLeave({ type: 'failed', error: error instanceof Error ? error.message : String(error) }),
  );
}
