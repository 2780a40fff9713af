// mutant: times out correctly but rejects with an error that does not say it was a timeout
// fails: timeout-error-reads-as-timeout
import { Socket } from 'node:net';

export function connectWithTimeout(host: string, port: number, connectMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('connection failed'));
    }, connectMs);
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
