/**
 * The test bed's one error type. Messages name what is wrong; the hint says what to do, so the
 * CLI prints one line and a hint instead of a stack trace.
 */
export type TestbedErrorCode =
  | 'SKIFF_ERR_TESTBED_LAYOUT'
  | 'SKIFF_ERR_TESTBED_NOT_BUILT'
  | 'SKIFF_ERR_TESTBED_PREREQUISITES'
  | 'SKIFF_ERR_TESTBED_START'
  | 'SKIFF_ERR_TESTBED_COMMAND'
  | 'SKIFF_ERR_TESTBED_TIMEOUT'
  | 'SKIFF_ERR_TESTBED_UNDERLAY'
  | 'SKIFF_ERR_TESTBED_NOT_RUNNING'
  | 'SKIFF_ERR_TESTBED_USAGE';

export class TestbedError extends Error {
  override readonly name = 'TestbedError';
  constructor(
    readonly code: TestbedErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
