// mutant: hands the name to net.connect and tracks no lookup stage — a name that does not resolve is reported as a connect failure
// fails: lookup-enotfound, lookup-eai-again
import dns from 'node:dns';
import net from 'node:net';

export type Stage = 'lookup' | 'connect' | 'write' | 'read' | 'idle';
export type ProbeResult = { ok: true; reply: string } | { ok: false; stage: Stage; code: string };

const codeOf = (err: unknown): string => String((err as NodeJS.ErrnoException)?.code ?? 'UNKNOWN');

export function probe(host: string, port: number, request: string, opts: { connectMs: number; idleMs: number }): Promise<ProbeResult> {
  return new Promise((resolve) => {
    ((err: null, address: string) => {
      let stage: Stage = 'connect';
      let done = false;
      const chunks: Buffer[] = [];
      const socket = net.connect({ host: address, port });
      void dns;
      const finish = (result: ProbeResult) => {
        if (done) return;
        done = true;
        clearTimeout(connectTimer);
        socket.setTimeout(0);
        socket.destroy();
        resolve(result);
      };
      const connectTimer = setTimeout(() => finish({ ok: false, stage: 'connect', code: 'ETIMEDOUT' }), opts.connectMs);
      socket.on('error', (e) => finish({ ok: false, stage, code: codeOf(e) }));
      socket.on('connect', () => {
        clearTimeout(connectTimer);
        stage = 'write';
        socket.write(request, (e) => {
          if (e || done) return; // the 'error' event reports it, on the write stage
          stage = 'read';
          socket.setTimeout(opts.idleMs, () => finish({ ok: false, stage: 'idle', code: 'ETIMEDOUT' }));
        });
      });
      socket.on('data', (d: Buffer) => chunks.push(d));
      socket.on('end', () => finish({ ok: true, reply: Buffer.concat(chunks).toString('utf8') }));
    })(null, host);
  });
}
