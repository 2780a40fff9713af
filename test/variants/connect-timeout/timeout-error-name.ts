// variant: AbortSignal.timeout with net.connect's signal option — the error is a TimeoutError by name, not by code
import net from 'node:net';

export function connectWithTimeout(host: string, port: number, connectMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const err = new Error(`no connection within ${connectMs} ms`);
      err.name = 'TimeoutError';
      controller.abort(err);
    }, connectMs);
    const socket = net.connect({ host, port, signal: controller.signal });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      // An abort surfaces as AbortError whose cause is our TimeoutError.
      reject((err as Error & { cause?: unknown }).name === 'AbortError' ? ((err as Error & { cause?: unknown }).cause ?? err) : err);
    });
  });
}
