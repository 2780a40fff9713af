// variant: readline splits the lines; additive jitter of up to 30% on the capped delay (the course's helper); the socket's own setTimeout as the liveness timer
import net from 'node:net';
import readline from 'node:readline';

interface Opts {
  host: string;
  port: number;
  minDelayMs: number;
  maxDelayMs: number;
  heartbeatMs: number;
  deadAfterMs: number;
}

export function createReconnectingClient(o: Opts) {
  const subs: string[] = [];
  const fns: Array<(t: string, p: string) => void> = [];
  let s: net.Socket | undefined;
  let live = false;
  let over = false;
  let n = 0;
  let again: NodeJS.Timeout | undefined;
  let hb: NodeJS.Timeout | undefined;

  function go(): void {
    const sock = net.connect(o.port, o.host);
    s = sock;
    // Only what is received counts: a timer restarted on 'data' (setTimeout on the socket would count our PINGs too).
    let dead: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(dead);
      dead = setTimeout(() => sock.destroy(), o.deadAfterMs);
    };
    sock.on('connect', () => {
      live = true;
      n = 0;
      subs.forEach((t) => sock.write(`SUB ${t}\n`));
      arm();
      hb = setInterval(() => sock.write('PING\n'), o.heartbeatMs);
    });
    sock.on('data', arm);
    const rl = readline.createInterface({ input: sock });
    rl.on('line', (line) => {
      const [kind, topic, ...rest] = line.split(' ');
      if (kind === 'MSG' && topic) fns.forEach((f) => f(topic, rest.join(' ')));
    });
    // readline re-emits its input's errors on the interface: without this, a refused connect still crashes.
    rl.on('error', () => {});
    sock.on('error', () => {});
    sock.on('close', () => {
      live = false;
      clearTimeout(dead);
      clearInterval(hb);
      if (over) return;
      n++;
      const d = Math.min(o.maxDelayMs, o.minDelayMs * Math.pow(2, n - 1));
      again = setTimeout(go, d + Math.random() * 0.3 * d);
    });
  }
  go();

  return {
    subscribe: (t: string) => {
      if (!subs.includes(t)) subs.push(t);
      if (live) s?.write(`SUB ${t}\n`);
    },
    onMessage: (f: (t: string, p: string) => void) => void fns.push(f),
    close: () => {
      over = true;
      clearTimeout(again);
      clearInterval(hb);
      s?.destroy();
    },
  };
}
