// mutant: attaches no 'error' listener — a refused connection is an uncaught exception that crashes the process
// fails: refused-fast, host-unreachable-fast
import { Socket } from 'node:net';

export function connectWithTimeout(host: string, port: number, connectMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect timeout after ${connectMs}ms`));
    }, connectMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.connect(port, host);
  });
}
