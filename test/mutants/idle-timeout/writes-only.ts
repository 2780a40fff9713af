// mutant: a hand-made idle timer restarted on writes only — a peer's heartbeats do not count, so a healthy connection is cut
// fails: heartbeats-keep-open
import { Socket } from 'node:net';

export function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let timer: NodeJS.Timeout | undefined;
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), idleMs);
    };
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      restart();
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        restart();
        return write(...args);
      }) as Socket['write'];
      socket.once('close', () => clearTimeout(timer));
      resolve(socket);
    });
    socket.connect(port, host);
  });
}
