// mutant: no connect timeout at all — relies on the kernel, which retries SYNs for minutes
// fails: rejects-at-connect-ms, timeout-error-reads-as-timeout, destroys-socket-on-timeout
import { Socket } from 'node:net';

export function connectWithTimeout(host: string, port: number, _connectMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
    socket.connect(port, host);
  });
}
