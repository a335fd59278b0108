/** The site-controller runtime's failures, each with a stable code (documented in docs/errors.md). */
import { SkiffError } from '../../../common/src/errors/skiff-error.js';

export const ControllerErrorCode = {
  /** An environment variable is missing or bad (the message names it and what is expected). */
  SKIFF_ERR_CONTROLLER_SETTINGS: 'SKIFF_ERR_CONTROLLER_SETTINGS',
} as const;
export type ControllerErrorCode = (typeof ControllerErrorCode)[keyof typeof ControllerErrorCode];

export class ControllerError extends SkiffError<ControllerErrorCode> {
  constructor(code: ControllerErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, 'set the variable as the message says (the chart sets POD_NAMESPACE from metadata.namespace)', options);
  }
}
