// mutant: gives up at half of idleMs — cuts connections that were quiet for less than idleMs
// fails: closes-when-idle, blackhole-ends-at-idle
import { Socket } from 'node:net';

export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.setTimeout(idleMs / 2, () => socket.destroy());
      resolve(socket);
    });
    socket.connect(port, host);
  });
}
