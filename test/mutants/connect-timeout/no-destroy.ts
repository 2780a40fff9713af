// mutant: rejects on time but leaves the socket connecting — the kernel keeps sending SYNs
// fails: destroys-socket-on-timeout
import { Socket } from 'node:net';

export function connectWithTimeout(host: string, port: number, connectMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => reject(new Error(`connect timeout after ${connectMs}ms`)), connectMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.connect(port, host);
  });
}
