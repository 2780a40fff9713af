// mutant: closes an idle socket with end() — a half-close that waits for the peer's FIN, which a blackholed peer never sends
// fails: blackhole-ends-at-idle
import { Socket } from 'node:net';

export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.setTimeout(idleMs, () => socket.end());
      resolve(socket);
    });
    socket.connect(port, host);
  });
}
