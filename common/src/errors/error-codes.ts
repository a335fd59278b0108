/**
 * Every error code Skiff raises, and the exit status each one means (the one table: programs
 * derive their exit code from it). docs/errors.md explains each code and what to do about it;
 * test/common/error-catalogue.unit.test.ts keeps the two and the sources in step. Codes are
 * stable and never reused; append new ones to their group.
 */
import { ExitCode } from './exit-codes.js';

export const EXIT_CODE_OF = {
  // CLI (cli/src)
  SKIFF_ERR_USAGE: ExitCode.usage,
  SKIFF_ERR_SITE_NOT_FOUND: ExitCode.notFound,
  SKIFF_ERR_SITE_AMBIGUOUS: ExitCode.usage,
  SKIFF_ERR_SITE_EXISTS: ExitCode.conflict,
  SKIFF_ERR_SITE_STATE: ExitCode.internal,
  SKIFF_ERR_ROUTER_START: ExitCode.router,
  SKIFF_ERR_ROUTER_NOT_RUNNING: ExitCode.router,
  SKIFF_ERR_MANAGEMENT: ExitCode.router,
  SKIFF_ERR_NO_INGRESS: ExitCode.usage,
  SKIFF_ERR_LINK_SELF: ExitCode.conflict,
  SKIFF_ERR_LINK_EXISTS: ExitCode.conflict,
  SKIFF_ERR_LINK_NOT_FOUND: ExitCode.notFound,
  SKIFF_ERR_LINK_TIMEOUT: ExitCode.router,
  SKIFF_ERR_SERVICE_EXISTS: ExitCode.conflict,
  SKIFF_ERR_SERVICE_NOT_FOUND: ExitCode.notFound,
  SKIFF_ERR_TARGET_EXISTS: ExitCode.conflict,
  SKIFF_ERR_TARGET_NOT_FOUND: ExitCode.notFound,
  SKIFF_ERR_FILE: ExitCode.usage,
  SKIFF_ERR_INTERNAL: ExitCode.internal,
  // CLI on Kubernetes sites (cli/src/platform/kubernetes)
  SKIFF_ERR_KUBE_CONFIG: ExitCode.usage,
  SKIFF_ERR_KUBE_UNREACHABLE: ExitCode.kube,
  SKIFF_ERR_KUBE_FORBIDDEN: ExitCode.kube,
  SKIFF_ERR_KUBE_API: ExitCode.kube,
  SKIFF_ERR_NO_CRDS: ExitCode.kube,
  SKIFF_ERR_NO_CONTROLLER: ExitCode.kube,
  SKIFF_ERR_SITE_NOT_READY: ExitCode.kube,
  SKIFF_ERR_TIMEOUT: ExitCode.kube,
  // Tokens and grants (common/src/tokens)
  SKIFF_ERR_TOKEN_INVALID: ExitCode.usage,
  SKIFF_ERR_CLAIM_NOT_FOUND: ExitCode.remote,
  SKIFF_ERR_CLAIM_EXPIRED: ExitCode.remote,
  SKIFF_ERR_CLAIM_USED_UP: ExitCode.remote,
  SKIFF_ERR_CLAIM_REFUSED: ExitCode.remote,
  SKIFF_ERR_CLAIM_TLS: ExitCode.remote,
  SKIFF_ERR_CLAIMS_UNREACHABLE: ExitCode.remote,
  SKIFF_ERR_CLAIM_REDEEM: ExitCode.remote,
  // Router (router/src)
  SKIFF_ERR_CONFIG: ExitCode.config,
  SKIFF_ERR_MGMT_REQUEST: ExitCode.router,
  SKIFF_ERR_AMQP_DECODE: ExitCode.remote,
  SKIFF_ERR_AMQP_ENCODE: ExitCode.internal,
  SKIFF_ERR_ROUTING_MESSAGE: ExitCode.remote,
  // Management client (common/src/amqp-management.ts)
  SKIFF_ERR_MANAGEMENT_UNREACHABLE: ExitCode.router,
  SKIFF_ERR_MANAGEMENT_TIMEOUT: ExitCode.router,
  SKIFF_ERR_MANAGEMENT_REFUSED: ExitCode.router,
  // kube-adaptor (site-controller/src/adaptor)
  SKIFF_ERR_ADAPTOR_SETTINGS: ExitCode.config,
  SKIFF_ERR_ADAPTOR_CONFIG: ExitCode.config,
  SKIFF_ERR_ADAPTOR_SECRET: ExitCode.kube,
  // site-controller and service-controller (site-controller/src/runtime)
  SKIFF_ERR_CONTROLLER_SETTINGS: ExitCode.config,
  // Test bed (test/testbed/src)
  SKIFF_ERR_TESTBED_USAGE: ExitCode.usage,
  SKIFF_ERR_TESTBED_NOT_RUNNING: ExitCode.notFound,
  SKIFF_ERR_TESTBED_LAYOUT: ExitCode.config,
  SKIFF_ERR_TESTBED_NOT_BUILT: ExitCode.config,
  SKIFF_ERR_TESTBED_PREREQUISITES: ExitCode.config,
  SKIFF_ERR_TESTBED_UNDERLAY: ExitCode.config,
  SKIFF_ERR_TESTBED_START: ExitCode.internal,
  SKIFF_ERR_TESTBED_COMMAND: ExitCode.internal,
  SKIFF_ERR_TESTBED_TIMEOUT: ExitCode.internal,
} as const satisfies Record<`SKIFF_ERR_${string}`, ExitCode>;

export type ErrorCode = keyof typeof EXIT_CODE_OF;

/** Each code by name, for call sites that spell it out: `ErrorCode.SKIFF_ERR_FILE`. */
export const ErrorCode = Object.fromEntries(Object.keys(EXIT_CODE_OF).map((code) => [code, code])) as { readonly [C in ErrorCode]: C };
