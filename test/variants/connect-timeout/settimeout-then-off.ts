// variant: socket.setTimeout as the connect timer, switched off on connect; message-only timeout error
import { Socket } from 'node:net';

export function connectWithTimeout(host: string, port: number, connectMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const onTimeout = () => {
      socket.destroy();
      reject(new Error(`Connection timeout: ${host}:${port}`));
    };
    socket.setTimeout(connectMs, onTimeout);
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.off('timeout', onTimeout);
      resolve(socket);
    });
    socket.once('error', reject);
    socket.connect(port, host);
  });
}
