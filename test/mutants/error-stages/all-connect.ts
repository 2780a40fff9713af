// mutant: treats every failure as a connect failure — one stage for everything, so the caller cannot tell a bad name from a dead peer
// fails: lookup-enotfound, lookup-eai-again, write-stage-reset, read-stage-reset, idle-timeout
import dns from 'node:dns';
import net from 'node:net';

export type Stage = 'lookup' | 'connect' | 'write' | 'read' | 'idle';
export type ProbeResult = { ok: true; reply: string } | { ok: false; stage: Stage; code: string };

const codeOf = (err: unknown): string => String((err as NodeJS.ErrnoException)?.code ?? 'UNKNOWN');

export function probe(host: string, port: number, request: string, opts: { connectMs: number; idleMs: number }): Promise<ProbeResult> {
  return new Promise((resolve) => {
    dns.lookup(host, (err, address) => {
      if (err) return resolve({ ok: false, stage: 'connect', code: codeOf(err) });
      let stage: Stage = 'connect';
      let done = false;
      const chunks: Buffer[] = [];
      const socket = net.connect({ host: address, port });
      const finish = (result: ProbeResult) => {
        if (done) return;
        done = true;
        clearTimeout(connectTimer);
        socket.setTimeout(0);
        socket.destroy();
        resolve(result);
      };
      const connectTimer = setTimeout(() => finish({ ok: false, stage: 'connect', code: 'ETIMEDOUT' }), opts.connectMs);
      socket.on('error', (e) => finish({ ok: false, stage: 'connect', code: codeOf(e) }));
      socket.on('connect', () => {
        clearTimeout(connectTimer);
        stage = 'write';
        socket.write(request, (e) => {
          if (e || done) return; // the 'error' event reports it, on the write stage
          stage = 'read';
          socket.setTimeout(opts.idleMs, () => finish({ ok: false, stage: 'connect', code: 'ETIMEDOUT' }));
        });
      });
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('end', () => finish({ ok: true, reply: Buffer.concat(chunks).toString('utf8') }));
    });
  });
}
