/** Client-side socket helpers shared by the workloads of the load generator. */
import { connect, type Socket } from 'node:net';

/** Connects to 127.0.0.1:port with Nagle off (every relay under test does the same). */
export async function openSocket(port: number, allowHalfOpen = false): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true, allowHalfOpen });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Writes `bytes` and resolves when at least as many bytes have come back. */
export async function roundTrip(socket: Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    let got = 0;
    const onData = (chunk: Buffer): void => {
      got += chunk.length;
      if (got >= bytes.length) finish(undefined);
    };
    const onClose = (): void => finish(new Error('closed before the echo arrived'));
    const finish = (error: Error | undefined): void => {
      socket.off('data', onData);
      socket.off('error', finish);
      socket.off('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    socket.on('data', onData);
    socket.once('error', finish);
    socket.once('close', onClose);
    socket.write(bytes);
  });
}
