// mutant: sets socket.setTimeout(idleMs) but only logs on 'timeout' — the event closes nothing
// fails: closes-when-idle, blackhole-ends-at-idle
import { Socket } from 'node:net';

export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.setTimeout(idleMs);
      socket.on('timeout', () => console.warn(`socket idle for ${idleMs} ms`));
      resolve(socket);
    });
    socket.connect(port, host);
  });
}
