// variant: node:net by hand — writes the request, parses the response head, Content-Length or chunked body
import net from 'node:net';

export interface Deadlines {
  connectMs: number;
  idleMs: number;
  totalMs: number;
}

function timeout(msg: string): Error {
  return Object.assign(new Error(`${msg} (timeout)`), { code: 'ETIMEDOUT' });
}

/** The body of a chunked message, or null while it is not complete. */
function dechunk(buf: Buffer): Buffer | null {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return null;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (Number.isNaN(size)) throw new Error('bad chunk size');
    if (size === 0) return buf.indexOf('\r\n', eol + 2) < 0 ? null : Buffer.concat(out);
    if (buf.length < eol + 2 + size + 2) return null;
    out.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

export function getWithDeadlines(url: string, d: Deadlines): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || 80) });
    let data = Buffer.alloc(0);
    let over = false;
    const end = (err: Error | null, value?: { status: number; body: string }) => {
      if (over) return;
      over = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      socket.setTimeout(0);
      if (err) {
        socket.destroy();
        reject(err);
      } else {
        socket.end();
        resolve(value!);
      }
    };
    const connectTimer = setTimeout(() => end(timeout(`no connection within ${d.connectMs} ms`)), d.connectMs);
    const totalTimer = setTimeout(() => end(timeout(`no complete response within ${d.totalMs} ms`)), d.totalMs);
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      socket.setTimeout(d.idleMs, () => end(timeout(`idle for ${d.idleMs} ms`)));
      socket.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`);
    });
    const parse = (closed: boolean) => {
      const headEnd = data.indexOf('\r\n\r\n');
      if (headEnd < 0) return closed ? end(new Error('connection closed before the response head')) : undefined;
      const lines = data.subarray(0, headEnd).toString('latin1').split('\r\n');
      const status = Number(lines[0]!.split(' ')[1]);
      const headers = new Map(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const rest = data.subarray(headEnd + 4);
      if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) {
        const body = dechunk(rest);
        if (body) return end(null, { status, body: body.toString('utf8') });
      } else if (headers.has('content-length')) {
        const n = Number(headers.get('content-length'));
        if (rest.length >= n) return end(null, { status, body: rest.subarray(0, n).toString('utf8') });
      } else if (closed) return end(null, { status, body: rest.toString('utf8') });
      if (closed) end(new Error('connection closed mid-body'));
    };
    socket.on('data', (b: Buffer) => {
      data = Buffer.concat([data, b]);
      parse(false);
    });
    socket.on('end', () => parse(true));
    socket.on('error', (err) => end(err));
  });
}
