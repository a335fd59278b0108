/** `--port P[:T]` of `expose` on Kubernetes sites, repeatable and comma-separated, parsed as `skupper.io/port` is. */
import { InvalidArgumentError } from 'commander';
import { parsePortMappings, PortMappingError, type PortMapping } from '../../../../common/src/kube-api/exposure.js';

export function collectPorts(value: string, previous: PortMapping[] | undefined): PortMapping[] {
  try {
    return parsePortMappings([...(previous ?? []).map((p) => `${p.port}:${p.targetPort}`), value].join(','));
  } catch (error) {
    if (error instanceof PortMappingError) throw new InvalidArgumentError(`${error.message}: give PORT or PORT:TARGETPORT, each 1-65535.`);
    throw error;
  }
}
