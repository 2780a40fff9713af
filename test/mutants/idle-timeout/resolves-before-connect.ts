// mutant: resolves the socket as soon as net.connect() returns, before the handshake is done
// fails: resolves-connected-socket
import net, { type Socket } from 'node:net';

export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  const socket = net.connect(port, host);
  socket.setTimeout(idleMs, () => socket.destroy());
  return Promise.resolve(socket);
}
