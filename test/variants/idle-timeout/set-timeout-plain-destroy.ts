// variant: socket.setTimeout with the callback form, and a plain destroy() without an error
import { Socket } from 'node:net';

export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
    socket.connect(port, host);
  });
}
