/** The kube-adaptor's failures, each with a stable code (documented in docs/errors.md). */
import { SkiffError } from '../../../common/src/errors/skiff-error.js';

export const AdaptorErrorCode = {
  /** A required environment variable is missing or bad. */
  SKIFF_ERR_ADAPTOR_SETTINGS: 'SKIFF_ERR_ADAPTOR_SETTINGS',
  /** ConfigMap skupper-router is missing, or its skrouterd.json is not a router config. */
  SKIFF_ERR_ADAPTOR_CONFIG: 'SKIFF_ERR_ADAPTOR_CONFIG',
  /** The Secret an sslProfile needs does not exist (yet). */
  SKIFF_ERR_ADAPTOR_SECRET: 'SKIFF_ERR_ADAPTOR_SECRET',
} as const;
export type AdaptorErrorCode = (typeof AdaptorErrorCode)[keyof typeof AdaptorErrorCode];

const HINTS: Record<AdaptorErrorCode, string> = {
  SKIFF_ERR_ADAPTOR_SETTINGS: 'the router Deployment the site controller makes sets these variables; a hand-made one must set them too',
  SKIFF_ERR_ADAPTOR_CONFIG: "the site controller writes it: read the controller's log and the Site's status (kubectl get site -o yaml)",
  SKIFF_ERR_ADAPTOR_SECRET: "create the Secret the message names (a Link's comes from its AccessToken or token file)",
};

export class AdaptorError extends SkiffError<AdaptorErrorCode> {
  constructor(code: AdaptorErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, HINTS[code], options);
  }
}
