/** The target type word of `service bind|unbind NAME TYPE HOST` (Skupper's shape); hosts are the only kind so far. */
import { Argument } from 'commander';

export function targetKind(): Argument {
  return new Argument('<type>', 'kind of target').choices(['host']);
}
