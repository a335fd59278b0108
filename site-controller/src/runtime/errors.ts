/** The site-controller runtime's failures, each with a stable code (documented in docs/errors.md). */
export const ControllerErrorCode = {
  /** An environment variable is missing or bad (the message names it and what is expected). */
  SKIFF_ERR_CONTROLLER_SETTINGS: 'SKIFF_ERR_CONTROLLER_SETTINGS',
} as const;
export type ControllerErrorCode = (typeof ControllerErrorCode)[keyof typeof ControllerErrorCode];

export class ControllerError extends Error {
  override readonly name = 'ControllerError';
  constructor(
    readonly code: ControllerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
