// mutant: a hand-made idle timer restarted on 'data' only — a client that keeps writing to a quiet peer is cut as idle
// fails: writes-keep-open
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
      socket.once('close', () => clearTimeout(timer));
      resolve(socket);
    });
    socket.connect(port, host);
  });
}
