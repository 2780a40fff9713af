// mutant: uses socket.setTimeout (an idle timeout) as the connect timeout and never turns it off
// fails: socket-outlives-connect-ms
import { Socket } from 'node:net';

export function connectWithTimeout(host: string, port: number, connectMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.setTimeout(connectMs);
    socket.on('timeout', () => {
      socket.destroy();
      reject(new Error(`connect timeout after ${connectMs}ms`));
    });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
    socket.connect(port, host);
  });
}
