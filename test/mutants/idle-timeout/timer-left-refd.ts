// mutant: a hand-made idle timer restarted on reads and writes but not cleared on 'close' — after a normal close it holds the process for idleMs
// fails: no-timer-after-peer-close
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
      socket.on('data', restart);
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        restart();
        return write(...args);
      }) as Socket['write'];
      resolve(socket);
    });
    socket.connect(port, host);
  });
}
