// variant: net.connect with the name itself; the socket's 'lookup' event ends the lookup stage (an IP literal has none); socket.setTimeout armed by the write callback
import net from 'node:net';

export type Stage = 'lookup' | 'connect' | 'write' | 'read' | 'idle';
export type ProbeResult = { ok: true; reply: string } | { ok: false; stage: Stage; code: string };

export function probe(host: string, port: number, request: string, opts: { connectMs: number; idleMs: number }): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let stage: Stage = net.isIP(host) ? 'connect' : 'lookup';
    const parts: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const startConnectTimer = () => {
      timer = setTimeout(() => end({ ok: false, stage: 'connect', code: 'ETIMEDOUT' }), opts.connectMs);
    };
    const socket = net.connect(port, host);
    let over = false;
    function end(r: ProbeResult): void {
      if (over) return;
      over = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    }
    if (stage === 'connect') startConnectTimer();
    socket.on('lookup', (err) => {
      if (err) return; // 'error' follows with the same error
      stage = 'connect';
      startConnectTimer();
    });
    socket.on('connect', () => {
      clearTimeout(timer);
      stage = 'write';
      socket.write(request, (err) => {
        if (err) return;
        stage = 'read';
        socket.setTimeout(opts.idleMs);
      });
    });
    socket.on('timeout', () => end({ ok: false, stage: 'idle', code: 'ETIMEDOUT' }));
    socket.on('data', (b: Buffer) => parts.push(b));
    socket.on('end', () => end({ ok: true, reply: Buffer.concat(parts).toString() }));
    socket.on('error', (err: NodeJS.ErrnoException) => end({ ok: false, stage, code: String(err.code) }));
  });
}
