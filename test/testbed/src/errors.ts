/**
 * The test bed's one error type, a SkiffError: messages name what is wrong; the hint says what to
 * do, so the CLI prints one line and a hint instead of a stack trace (docs/errors.md lists the codes).
 */
import { SkiffError } from '../../../common/src/errors/skiff-error.js';

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

/** What to do when a throw site has nothing more specific to say. */
const HINTS: Record<TestbedErrorCode, string> = {
  SKIFF_ERR_TESTBED_LAYOUT: 'run the test bed from a checkout of this repository',
  SKIFF_ERR_TESTBED_NOT_BUILT: 'run `npm run build` and `npm run testbed:build`',
  SKIFF_ERR_TESTBED_PREREQUISITES: 'the message names each missing piece and how to get it',
  SKIFF_ERR_TESTBED_START: 'read the log the message names; `testbed down` removes what is left',
  SKIFF_ERR_TESTBED_COMMAND: 'the message quotes the command and its output',
  SKIFF_ERR_TESTBED_TIMEOUT: 'the message names what did not happen in time; `testbed status` and the logs in its state directory say why',
  SKIFF_ERR_TESTBED_UNDERLAY: 'set SKIFF_TESTBED_UNDERLAY to an unused /16, e.g. 172.29',
  SKIFF_ERR_TESTBED_NOT_RUNNING: 'run `testbed up` first',
  SKIFF_ERR_TESTBED_USAGE: 'check the names against `testbed status`',
};

export class TestbedError extends SkiffError<TestbedErrorCode> {
  constructor(code: TestbedErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(code, message, hint ?? HINTS[code], options);
  }
}
