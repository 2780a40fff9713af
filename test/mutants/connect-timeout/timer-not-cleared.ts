// mutant: forgets clearTimeout on connect — the stale timer keeps the process alive, then kills a healthy socket
// fails: socket-outlives-connect-ms, no-timer-left-behind
import { Socket } from 'node:net';

export function connectWithTimeout(host: string, port: number, connectMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect timeout after ${connectMs}ms`));
    }, connectMs);
    socket.once('connect', () => resolve(socket));
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.connect(port, host);
  });
}
