/** The kube-adaptor's failures, each with a stable code (documented in docs/errors.md). */
import { CodedError } from '../../../common/src/coded-error.js';

export const AdaptorErrorCode = {
  /** A required environment variable is missing or bad. */
  SKIFF_ERR_ADAPTOR_SETTINGS: 'SKIFF_ERR_ADAPTOR_SETTINGS',
  /** ConfigMap skupper-router is missing, or its skrouterd.json is not a router config. */
  SKIFF_ERR_ADAPTOR_CONFIG: 'SKIFF_ERR_ADAPTOR_CONFIG',
  /** The Secret an sslProfile needs does not exist (yet). */
  SKIFF_ERR_ADAPTOR_SECRET: 'SKIFF_ERR_ADAPTOR_SECRET',
} as const;
export type AdaptorErrorCode = (typeof AdaptorErrorCode)[keyof typeof AdaptorErrorCode];

export class AdaptorError extends CodedError<AdaptorErrorCode> {
  override readonly name = 'AdaptorError';
}
