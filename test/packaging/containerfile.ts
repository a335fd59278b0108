/** Reads the repository's Containerfile: its stages and each stage's ENTRYPOINT (exec form). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../testbed/src/paths.js';

/** Where the Containerfile installs the packed package; the tests install it elsewhere. */
export const INSTALL_PREFIX = '/opt/skiff';

export interface Stage {
  name: string;
  from: string;
  lines: string[];
  entrypoint?: string[];
}

export function containerfileStages(text = readFileSync(join(REPO_ROOT, 'Containerfile'), 'utf8')): Stage[] {
  const stages: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    const from = /^FROM\s+(\S+)\s+AS\s+(\S+)$/i.exec(line);
    if (from) {
      stages.push({ from: from[1] ?? '', name: from[2] ?? '', lines: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage || line === '' || line.startsWith('#')) continue;
    stage.lines.push(line);
    const entrypoint = /^ENTRYPOINT\s+(\[.*\])$/.exec(line);
    if (entrypoint?.[1]) stage.entrypoint = JSON.parse(entrypoint[1]) as string[];
  }
  return stages;
}
