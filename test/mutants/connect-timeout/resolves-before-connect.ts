// mutant: resolves as soon as connect() is called, before the handshake — failures never reach the caller
// fails: connects-and-carries-data, rejects-at-connect-ms, timeout-error-reads-as-timeout, destroys-socket-on-timeout, refused-fast, host-unreachable-fast
import { Socket } from 'node:net';

export function connectWithTimeout(host: string, port: number, _connectMs: number): Promise<Socket> {
  const socket = new Socket();
  socket.on('error', () => {});
  socket.connect(port, host);
  return Promise.resolve(socket);
}
