/**
 * Peer for retry-backoff: one TCP server per port in `ports`, each
 * accepting and holding connections. Events: listening (once every port
 * listens), accept { port, remotePort }, close { port }.
 */
import net from 'node:net';
import { config, emit } from '../agent.ts';

interface Config {
  ports: number[];
  host?: string;
}

const cfg = config<Config>();
let listening = 0;
for (const port of cfg.ports) {
  const server = net.createServer((socket) => {
    emit('accept', { port, remotePort: socket.remotePort });
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.on('close', () => emit('close', { port }));
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    emit('listen-error', { port, code: err.code });
    process.exit(1);
  });
  server.listen(port, cfg.host ?? '0.0.0.0', () => {
    if (++listening === cfg.ports.length) emit('listening', { ports: cfg.ports });
  });
}
