// variant: net.connect's own `timeout` option (socket.setTimeout from the start) and a 'timeout' listener that destroys with an ETIMEDOUT error
import net, { type Socket } from 'node:net';

export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, timeout: idleMs }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.on('timeout', () => socket.destroy(Object.assign(new Error('idle timeout'), { code: 'ETIMEDOUT' })));
    socket.once('error', reject);
  });
}
