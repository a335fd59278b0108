/**
 * `skiff expose`: the group of things a site can expose: a host (local and Kubernetes sites), and on
 * Kubernetes sites Deployments, StatefulSets, Services and pods (`KIND NAME` or `KIND/NAME`).
 */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { ExposeKinds } from '../../platform/kubernetes/kube-exposure-target.js';
import { makeExposeHostCommand } from './host.js';
import { makeExposeKindCommand } from './kind.js';
import { withSlashForm } from './slash-form.js';

export function makeExposeCommand(deps: CliDeps): Command {
  const expose = new Command('expose').description('expose a TCP server on the network').addCommand(makeExposeHostCommand(deps));
  for (const kind of ExposeKinds) expose.addCommand(makeExposeKindCommand(deps, kind));
  return withSlashForm(expose);
}
