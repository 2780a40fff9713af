/** The HTTP client peer's response parser (harness/peers/http-client.ts), apart so that it can be tested alone. */
export interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the parser keeps of a body (the report shows its start), and the most a head or chunk line may take. */
const bodyKept = 500;
const headMax = 64 * 1024;
const lineMax = 1024;

/**
 * Incremental HTTP/1.1 response parser: Content-Length, chunked, or (with
 * neither) a body that runs to the end of the connection. Memory stays
 * bounded whatever the server sends: body bytes are counted and dropped as
 * they arrive (the first 500 kept), and a head or chunk-size line that never
 * ends is cut off as a malformed response (status 0).
 */
export class ResponseParser {
  private buf: Buffer = Buffer.alloc(0);
  private head: { status: number; headers: Record<string, string> } | undefined;
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private remaining: number | 'chunked' | 'eof' = 0;
  /** Bytes left of the current chunk (+2 for its CRLF); -1 before a size line, -2 in the trailers. */
  private chunkLeft = -1;

  /** Feeds bytes; returns the responses they completed. */
  push(data: Buffer): ParsedResponse[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : data;
    const done: ParsedResponse[] = [];
    for (;;) {
      const r = this.step();
      if (!r) break;
      done.push(r);
    }
    return done;
  }

  /** The connection ended: a body delimited by the close is complete now. */
  end(): ParsedResponse | undefined {
    if (this.head && this.remaining === 'eof') {
      this.keep(this.buf);
      this.buf = Buffer.alloc(0);
      return this.finish();
    }
    return undefined;
  }

  /** Part of a response has arrived. */
  get partial(): boolean {
    return this.head !== undefined || this.buf.length > 0;
  }

  private keep(b: Buffer): void {
    if (this.keptBytes >= bodyKept || b.length === 0) return;
    const part = Buffer.from(b.subarray(0, bodyKept - this.keptBytes));
    this.kept.push(part);
    this.keptBytes += part.length;
  }

  private finish(): ParsedResponse {
    const r = { ...this.head!, body: Buffer.concat(this.kept).toString('utf8').slice(0, bodyKept) };
    this.head = undefined;
    this.kept = [];
    this.keptBytes = 0;
    return r;
  }

  /** A response that cannot be parsed within bounds: reported as status 0, the rest of the stream dropped. */
  private malformed(why: string): ParsedResponse {
    this.head ??= { status: 0, headers: {} };
    this.head.headers['x-lab-malformed'] = why;
    this.buf = Buffer.alloc(0);
    this.remaining = 'eof';
    return this.finish();
  }

  private step(): ParsedResponse | undefined {
    if (!this.head) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return this.buf.length > headMax ? this.malformed(`no end of head in ${headMax} bytes`) : undefined;
      const lines = this.buf.subarray(0, end).toString('latin1').split('\r\n');
      this.buf = this.buf.subarray(end + 4);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) {
          const k = l.slice(0, i).trim().toLowerCase();
          const v = l.slice(i + 1).trim();
          headers[k] = headers[k] !== undefined ? `${headers[k]}, ${v}` : v;
        }
      }
      this.head = { status, headers };
      if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
        this.remaining = 'chunked';
        this.chunkLeft = -1;
      } else if (headers['content-length'] !== undefined) this.remaining = Number(headers['content-length']) || 0;
      else if (status === 204 || status === 304 || (status >= 100 && status < 200)) this.remaining = 0;
      else this.remaining = 'eof';
    }
    if (typeof this.remaining === 'number') {
      const take = Math.min(this.buf.length, this.remaining);
      this.keep(this.buf.subarray(0, take));
      this.buf = this.buf.subarray(take);
      this.remaining -= take;
      return this.remaining === 0 ? this.finish() : undefined;
    }
    if (this.remaining === 'eof') {
      this.keep(this.buf);
      this.buf = Buffer.alloc(0);
      return undefined;
    }
    // chunked
    for (;;) {
      if (this.chunkLeft === -1 || this.chunkLeft === -2) {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) return this.buf.length > lineMax ? this.malformed(`a chunk line longer than ${lineMax} bytes`) : undefined;
        const line = this.buf.subarray(0, eol).toString('latin1');
        this.buf = this.buf.subarray(eol + 2);
        if (this.chunkLeft === -2) {
          // Trailers, up to the empty line.
          if (line === '') {
            this.chunkLeft = -1;
            return this.finish();
          }
          continue;
        }
        const size = parseInt(line.split(';')[0]!.trim(), 16);
        if (!Number.isFinite(size) || size === 0) {
          this.chunkLeft = -2;
          continue;
        }
        this.chunkLeft = size + 2;
      }
      if (this.buf.length === 0) return undefined;
      const take = Math.min(this.buf.length, this.chunkLeft);
      // The chunk's data, not its closing CRLF.
      this.keep(this.buf.subarray(0, Math.max(0, Math.min(take, this.chunkLeft - 2))));
      this.buf = this.buf.subarray(take);
      this.chunkLeft -= take;
      if (this.chunkLeft === 0) this.chunkLeft = -1;
    }
  }
}
