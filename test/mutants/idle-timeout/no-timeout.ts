// mutant: no idle timeout at all — resolves the connected socket and trusts TCP to report a dead peer
// fails: closes-when-idle, blackhole-ends-at-idle
import { Socket } from 'node:net';

export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.connect(port, host);
  });
}
