// mutant: takes TCP keep-alive for an idle timeout — setKeepAlive(true, idleMs) probes a live peer forever and gives up on a dead one only after minutes
// fails: closes-when-idle, blackhole-ends-at-idle
import { Socket } from 'node:net';

export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.setKeepAlive(true, idleMs);
      resolve(socket);
    });
    socket.connect(port, host);
  });
}
