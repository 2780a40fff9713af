// mutant: sends PING every heartbeatMs but never checks that anything came back: a blackholed connection hangs forever
// fails: dead-connection-detected
import net from 'node:net';

export interface ReconnectOptions {
  host: string;
  port: number;
  minDelayMs: number;
  maxDelayMs: number;
  heartbeatMs: number;
  deadAfterMs: number;
}

export interface ReconnectingClient {
  subscribe(topic: string): void;
  onMessage(listener: (topic: string, payload: string) => void): void;
  close(): void;
}

export function createReconnectingClient(opts: ReconnectOptions): ReconnectingClient {
  const topics = new Set<string>();
  const listeners: Array<(topic: string, payload: string) => void> = [];
  let socket: net.Socket | null = null;
  let connected = false;
  let closed = false;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let beat: NodeJS.Timeout | undefined;
  let lastReceived = 0;

  function deliver(line: string): void {
    if (!line.startsWith('MSG ')) return; // PONG, or anything else: liveness only
    const rest = line.slice(4);
    const sp = rest.indexOf(' ');
    const topic = sp < 0 ? rest : rest.slice(0, sp);
    const payload = sp < 0 ? '' : rest.slice(sp + 1);
    for (const l of listeners) {
      try {
        l(topic, payload);
      } catch {
        // a listener's bug must not kill the connection
      }
    }
  }

  function connect(): void {
    if (closed) return;
    const s = net.connect({ host: opts.host, port: opts.port });
    socket = s;
    let buf = '';
    s.setNoDelay(true);
    s.setEncoding('utf8');
    s.on('connect', () => {
      connected = true;
      attempt = 0;
      lastReceived = Date.now();
      for (const t of topics) s.write(`SUB ${t}\n`);
      beat = setInterval(() => {
        s.write('PING\n');
      }, opts.heartbeatMs);
    });
    s.on('data', (chunk: string) => {
      lastReceived = Date.now();
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        deliver(line);
      }
    });
    s.on('error', () => {
      // 'close' follows; it decides what happens next
    });
    s.on('close', () => {
      clearInterval(beat);
      beat = undefined;
      connected = false;
      if (socket === s) socket = null;
      scheduleReconnect();
    });
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return;
    attempt++;
    const d = Math.min(opts.maxDelayMs, opts.minDelayMs * 2 ** (attempt - 1));
    const delay = d / 2 + Math.random() * (d / 2);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, delay);
  }

  connect();

  return {
    subscribe(topic: string): void {
      if (topics.has(topic)) return;
      topics.add(topic);
      if (connected && socket) socket.write(`SUB ${topic}\n`);
    },
    onMessage(listener): void {
      listeners.push(listener);
    },
    close(): void {
      closed = true;
      clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      clearInterval(beat);
      beat = undefined;
      socket?.destroy();
      socket = null;
    },
  };
}
