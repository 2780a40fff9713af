// mutant: one timer started at connect and never restarted by traffic — a deadline, not an idle timeout
// fails: closes-when-idle, heartbeats-keep-open, writes-keep-open, blackhole-ends-at-idle
import { Socket } from 'node:net';

export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      const timer = setTimeout(() => socket.destroy(), idleMs);
      socket.once('close', () => clearTimeout(timer));
      resolve(socket);
    });
    socket.connect(port, host);
  });
}
