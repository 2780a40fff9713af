/**
 * Peer: a TCP server that records every connection. Modes:
 *  - echo: sends back what it receives;
 *  - sink: reads and discards;
 *  - greet: writes `greeting` on accept, then echoes.
 * Events: listening, accept, data (byte counts, and the chunk's first 256
 * bytes as latin1: what crossed the wire, for checks that must not take the
 * learner's side of the story), end, close, error.
 */
import net from 'node:net';
import { config, emit } from '../agent.ts';

interface Config {
  port: number;
  host?: string;
  mode?: 'echo' | 'sink' | 'greet';
  greeting?: string;
}

const cfg = config<Config>();
let nextId = 0;
const server = net.createServer((socket) => {
  const id = nextId++;
  emit('accept', { id, remote: socket.remoteAddress, remotePort: socket.remotePort });
  let bytes = 0;
  if (cfg.mode === 'greet') socket.write(cfg.greeting ?? 'hello\n');
  socket.on('data', (d) => {
    bytes += d.length;
    emit('data', { id, bytes: d.length, total: bytes, text: d.subarray(0, 256).toString('latin1') });
    if (cfg.mode !== 'sink') socket.write(d);
  });
  socket.on('end', () => {
    emit('end', { id });
    socket.end();
  });
  socket.on('error', (err: NodeJS.ErrnoException) => emit('error', { id, code: err.code }));
  socket.on('close', (hadError) => emit('close', { id, hadError, total: bytes }));
});
server.on('error', (err: NodeJS.ErrnoException) => {
  emit('listen-error', { code: err.code });
  process.exit(1);
});
server.listen(cfg.port, cfg.host ?? '0.0.0.0', () => emit('listening', { port: cfg.port }));
