// variant: async/await — dns.promises.lookup, then net.connect; the request sent with end() (half-close) and 'finish' as the end of the write stage; a hand-made idle timer restarted on every chunk
import { promises as dnsp } from 'node:dns';
import net from 'node:net';

export type Stage = 'lookup' | 'connect' | 'write' | 'read' | 'idle';
export type ProbeResult = { ok: true; reply: string } | { ok: false; stage: Stage; code: string };

export async function probe(host: string, port: number, request: string, opts: { connectMs: number; idleMs: number }): Promise<ProbeResult> {
  let address: string;
  try {
    ({ address } = await dnsp.lookup(host));
  } catch (err) {
    return { ok: false, stage: 'lookup', code: (err as NodeJS.ErrnoException).code ?? 'UNKNOWN' };
  }
  return new Promise<ProbeResult>((resolve) => {
    let stage: Stage = 'connect';
    let reply = '';
    let connectTimer: NodeJS.Timeout | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    const socket = new net.Socket();
    socket.setEncoding('utf8');
    const settle = (r: ProbeResult) => {
      clearTimeout(connectTimer);
      clearTimeout(idleTimer);
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(r);
    };
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => settle({ ok: false, stage: 'idle', code: 'ETIMEDOUT' }), opts.idleMs);
    };
    socket.once('error', (err: NodeJS.ErrnoException) => settle({ ok: false, stage, code: err.code ?? 'UNKNOWN' }));
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (stage === 'read') armIdle();
    });
    socket.once('end', () => settle({ ok: true, reply }));
    socket.once('finish', () => {
      stage = 'read';
      armIdle();
    });
    connectTimer = setTimeout(() => settle({ ok: false, stage: 'connect', code: 'ETIMEDOUT' }), opts.connectMs);
    socket.connect({ host: address, port }, () => {
      clearTimeout(connectTimer);
      stage = 'write';
      socket.end(request);
    });
  });
}
