/** `skiff unexpose`: undoes `skiff expose` (`KIND NAME` or `KIND/NAME`). */
import { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { ExposeKinds } from '../../platform/kubernetes/kube-exposure-target.js';
import { withSlashForm } from '../expose/slash-form.js';
import { makeUnexposeHostCommand } from './host.js';
import { makeUnexposeKindCommand } from './kind.js';

export function makeUnexposeCommand(deps: CliDeps): Command {
  const unexpose = new Command('unexpose').description('stop exposing a TCP server').addCommand(makeUnexposeHostCommand(deps));
  for (const kind of ExposeKinds) unexpose.addCommand(makeUnexposeKindCommand(deps, kind));
  return withSlashForm(unexpose);
}
