/** The site-controller runtime's failures, each with a stable code (documented in docs/errors.md). */
import { CodedError } from '../../../common/src/coded-error.js';

export const ControllerErrorCode = {
  /** An environment variable is missing or bad (the message names it and what is expected). */
  SKIFF_ERR_CONTROLLER_SETTINGS: 'SKIFF_ERR_CONTROLLER_SETTINGS',
} as const;
export type ControllerErrorCode = (typeof ControllerErrorCode)[keyof typeof ControllerErrorCode];

export class ControllerError extends CodedError<ControllerErrorCode> {
  override readonly name = 'ControllerError';
}
