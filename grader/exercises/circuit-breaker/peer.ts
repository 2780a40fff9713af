/**
 * circuit-breaker's peer: one TCP server per configured port, each with a way
 * of answering. Every connection is recorded with the peer's own times:
 *  - ok: writes "ok\n" as soon as it accepts (the dependency is healthy);
 *  - slow-ok: writes "ok\n" `delayMs` after the accept (a probe that takes a while, then succeeds);
 *  - slow-reset: resets the connection `delayMs` after the accept (a probe that takes a while, then fails).
 * Events: listening (once every port listens), accept { port, id }, reply { port, id }, reset { port, id }, close { port, id }.
 */
import net from 'node:net';
import { config, emit } from '../../../harness/agent.ts';

export interface BreakerPeerConfig {
  ports: Array<{ port: number; mode: 'ok' | 'slow-ok' | 'slow-reset'; delayMs: number }>;
}

const cfg = config<BreakerPeerConfig>();
let listening = 0;
let nextId = 0;
for (const { port, mode, delayMs } of cfg.ports) {
  const server = net.createServer((socket) => {
    const id = nextId++;
    emit('accept', { port, id });
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.on('close', () => emit('close', { port, id }));
    const answer = (): void => {
      if (socket.destroyed) return;
      if (mode === 'slow-reset') {
        emit('reset', { port, id });
        socket.resetAndDestroy();
      } else {
        emit('reply', { port, id });
        socket.end('ok\n');
      }
    };
    if (mode === 'ok') answer();
    else setTimeout(answer, delayMs);
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    emit('listen-error', { port, code: err.code });
    process.exit(1);
  });
  server.listen(port, '0.0.0.0', () => {
    if (++listening === cfg.ports.length) emit('listening', { ports: cfg.ports.map((p) => p.port) });
  });
}
