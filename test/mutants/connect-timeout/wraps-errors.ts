// mutant: wraps the socket's error in a new Error — the caller loses ECONNREFUSED / EHOSTUNREACH
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
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not connect: ${err.message}`));
    });
    socket.connect(port, host);
  });
}
