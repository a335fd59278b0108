import type { Socket } from 'node:net';

/** Joins two sockets both ways; an error on either end closes both. */
export function splice(a: Socket, b: Socket): void {
  a.pipe(b).pipe(a);
  const close = (): void => {
    a.destroy();
    b.destroy();
  };
  a.on('error', close);
  b.on('error', close);
}
