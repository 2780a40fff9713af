// variant: closure over an EventEmitter; decorrelated jitter (AWS: min(max, random(min, prev * 3))); setInterval heartbeat that also checks liveness
import { EventEmitter } from 'node:events';
import * as net from 'node:net';

export function createReconnectingClient(opts: {
  host: string;
  port: number;
  minDelayMs: number;
  maxDelayMs: number;
  heartbeatMs: number;
  deadAfterMs: number;
}) {
  const bus = new EventEmitter();
  const topics = new Set<string>();
  let current: net.Socket | null = null;
  let up = false;
  let done = false;
  let prev = opts.minDelayMs;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const dial = () => {
    const sock = net.createConnection(opts.port, opts.host);
    current = sock;
    let rest = '';
    let heard = Date.now();
    let hb: ReturnType<typeof setInterval> | null = null;
    sock.once('connect', () => {
      up = true;
      prev = opts.minDelayMs;
      heard = Date.now();
      topics.forEach((t) => sock.write('SUB ' + t + '\n'));
      hb = setInterval(() => {
        if (Date.now() - heard > opts.deadAfterMs) return void sock.destroy();
        sock.write('PING\n');
      }, opts.heartbeatMs);
    });
    sock.on('data', (buf) => {
      heard = Date.now();
      rest += buf.toString();
      let i: number;
      while ((i = rest.indexOf('\n')) !== -1) {
        const line = rest.slice(0, i);
        rest = rest.slice(i + 1);
        if (line.startsWith('MSG ')) {
          const j = line.indexOf(' ', 4);
          bus.emit('msg', line.slice(4, j), line.slice(j + 1));
        }
      }
    });
    sock.on('error', (e) => void e);
    sock.once('close', () => {
      if (hb) clearInterval(hb);
      up = false;
      current = null;
      if (done) return;
      const wait = Math.min(opts.maxDelayMs, opts.minDelayMs + Math.random() * (prev * 3 - opts.minDelayMs));
      prev = wait;
      timer = setTimeout(() => {
        timer = null;
        dial();
      }, wait);
    });
  };
  dial();

  return {
    subscribe(topic: string) {
      topics.add(topic);
      if (up && current) current.write('SUB ' + topic + '\n');
    },
    onMessage(fn: (topic: string, payload: string) => void) {
      bus.on('msg', fn);
    },
    close() {
      done = true;
      if (timer) clearTimeout(timer);
      current?.destroy();
    },
  };
}
