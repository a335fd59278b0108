/**
 * What the exit status of a Skiff program means: the CLI, skiff-router, the controllers, the
 * kube-adaptor and the test bed. Each error code maps to one of these (error-codes.ts), so a
 * script sees the same status for the same failure whichever program met it.
 */
export const ExitCode = {
  ok: 0,
  /** A bug, or a failure of the program's own machinery that the message describes. */
  internal: 1,
  /** Bad arguments, or an input file given on the command line that cannot be used. */
  usage: 2,
  /** A named site, link, service or running thing does not exist. */
  notFound: 3,
  /** The request contradicts what already exists. */
  conflict: 4,
  /** A router failed: it did not start, is not running, or refused a management request. */
  router: 5,
  /** A remote peer refused or failed: an issuing site's claims server, or a peer's bytes. */
  remote: 6,
  /** Kubernetes: the API server is unreachable or refused, objects or the controller are missing, or a wait timed out. */
  kube: 7,
  /** A configuration file or environment setting the program runs with cannot be used. */
  config: 8,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
