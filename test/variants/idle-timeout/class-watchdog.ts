// variant: a class-based watchdog that polls the socket's byte counters (bytesRead + bytesWritten) on an unref'd interval
import { Socket } from 'node:net';

class IdleWatchdog {
  private lastBytes = -1;
  private lastChange = performance.now();
  private readonly poll: ReturnType<typeof setInterval>;

  constructor(
    private readonly socket: Socket,
    private readonly idleMs: number,
  ) {
    // Checks often enough to close at most idleMs/20 late; unref'd, so it never holds the process.
    this.poll = setInterval(() => this.check(), Math.max(10, Math.floor(idleMs / 20)));
    this.poll.unref();
    socket.once('close', () => clearInterval(this.poll));
    this.check();
  }

  private check(): void {
    const bytes = this.socket.bytesRead + this.socket.bytesWritten;
    const now = performance.now();
    if (bytes !== this.lastBytes) {
      this.lastBytes = bytes;
      this.lastChange = now;
    } else if (now - this.lastChange >= this.idleMs) {
      this.socket.destroy();
    }
  }
}

export async function connectWithIdleTimeout(host: string, port: number, idleMs: number): Promise<Socket> {
  const socket = new Socket();
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve();
    });
    socket.connect(port, host);
  });
  new IdleWatchdog(socket, idleMs);
  return socket;
}
