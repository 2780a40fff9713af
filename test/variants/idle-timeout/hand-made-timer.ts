// variant: a hand-made setTimeout restarted on every 'data' and on every write, cleared on 'close'
import { Socket } from 'node:net';

export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const activity = () => {
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(new Error(`idle for ${idleMs} ms`)), idleMs);
    };
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      activity();
      socket.on('data', activity);
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        activity();
        return write(...args);
      }) as Socket['write'];
      socket.once('close', () => clearTimeout(timer));
      resolve(socket);
    });
    socket.connect(port, host);
  });
}
