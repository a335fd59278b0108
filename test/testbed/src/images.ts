/**
 * The image table: there is no container runtime, so an image name maps to a local command.
 * `entrypoint` plays the image's ENTRYPOINT and `cmd` its CMD, with Kubernetes' rules: a
 * container's `command` replaces the entrypoint (and drops cmd), its `args` replace cmd.
 * Registry host, tag and digest are ignored: `ghcr.io/skiff/router:0.1` is `skiff/router`.
 */
import { join } from 'node:path';
import { compiledScript, REPO_ROOT } from './paths.js';

export interface ImageEntry {
  entrypoint: readonly string[];
  cmd: readonly string[];
  description: string;
}

const node = process.execPath;

/** Built lazily: the test images need `npm run build`, and only pods that use them should fail. */
const TABLE: Record<string, () => ImageEntry> = {
  'skiff-testbed/hello': () => ({
    entrypoint: [node, compiledScript('images/hello')],
    cmd: [],
    description: 'HTTP server on $PORT (8080) answering with its pod name; /ready, /live, /set-unready, /set-dead',
  }),
  'skiff-testbed/echo': () => ({
    entrypoint: [node, compiledScript('images/echo')],
    cmd: [],
    description: 'TCP echo on $PORT (9090), each connection prefixed with "<pod name>: "',
  }),
  'skiff-testbed/client': () => ({
    entrypoint: [node, compiledScript('images/client')],
    cmd: ['idle'],
    description: 'idles; `client get URL [N]`, `client tcp HOST PORT MSG` for Testbed.exec',
  }),
  // Skiff's own images run from this repository's build, whatever tag the chart asks for.
  'skiff/router': () => ({ entrypoint: [node, join(REPO_ROOT, 'bin/skiff-router.js')], cmd: [], description: 'the Skiff router' }),
  'skiff/site-controller': () => ({
    entrypoint: [node, join(REPO_ROOT, 'dist/site-controller/src/main.js')],
    cmd: [],
    description: 'the Skiff site controller',
  }),
  'skiff/service-controller': () => ({
    entrypoint: [node, join(REPO_ROOT, 'dist/service-controller/src/main.js')],
    cmd: [],
    description: 'the Skiff service controller',
  }),
  'skiff/cli': () => ({ entrypoint: [node, join(REPO_ROOT, 'bin/skiff.js')], cmd: [], description: 'the skiff CLI' }),
  // A shell image for ad-hoc pods (`command: [sh, -c, …]`), run with the host's tools.
  busybox: () => ({ entrypoint: [], cmd: ['sh'], description: "the host's shell and tools" }),
};

/** `ghcr.io/skiff/router:0.1@sha256:…` -> `skiff/router`. */
export function imageKey(image: string): string {
  let name = image.split('@')[0] ?? image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  if (colon >= 0) name = name.slice(0, colon);
  const parts = name.split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) parts.shift();
  if (parts[0] === 'library') parts.shift();
  return parts.join('/');
}

export function lookupImage(image: string): ImageEntry | undefined {
  return TABLE[imageKey(image)]?.();
}

export function imageNames(): string[] {
  return Object.keys(TABLE);
}

/** The argv of a container, following Kubernetes' command/args rules over the image's defaults. */
export function containerArgv(entry: ImageEntry, command: readonly string[] | undefined, args: readonly string[] | undefined): string[] {
  if (command?.length) return [...command, ...(args ?? [])];
  return [...entry.entrypoint, ...(args?.length ? args : entry.cmd)];
}
