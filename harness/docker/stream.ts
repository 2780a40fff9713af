/**
 * What comes out of a program container: `docker attach` multiplexes stdout
 * and stderr into one stream of frames, and the program's events travel in
 * its stderr as framed records (harness/agent.ts with LAB_EVENTS=stderr), so
 * they are taken out again here and the program's stderr stays its own.
 */
import { StringDecoder } from 'node:string_decoder';
import { eventRecordMark } from '../records.ts';

export { eventRecordMark };

/**
 * Splits docker's multiplexed attach stream (8-byte header: stream type, 0, 0,
 * 0, big-endian length; then the payload) into stdout and stderr chunks.
 */
export class FrameDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: 'stdout' | 'stderr', data: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const type = this.pending[0]!;
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const payload = this.pending.subarray(8, 8 + size);
      this.pending = this.pending.subarray(8 + size);
      // 0 is stdin echo (never sent without a TTY); 1 stdout; 2 stderr.
      if (type === 1) this.onFrame('stdout', payload);
      else if (type === 2) this.onFrame('stderr', payload);
    }
  }
}

/**
 * Takes the records (`mark` … newline) out of a text stream, passing the rest
 * through untouched, including text written just before a record without a
 * newline of its own.
 */
export class RecordSplitter {
  private buf = '';
  private decoder = new StringDecoder('utf8');

  constructor(
    private readonly onText: (text: string) => void,
    private readonly onRecord: (payload: string) => void,
    private readonly mark = eventRecordMark,
  ) {}

  push(chunk: Buffer | string): void {
    this.buf += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    for (;;) {
      const at = this.buf.indexOf(this.mark);
      if (at < 0) {
        // Hold back a tail that may be the start of a mark split across chunks.
        const keep = this.partialMarkAtEnd();
        const text = this.buf.slice(0, this.buf.length - keep);
        if (text) this.onText(text);
        this.buf = this.buf.slice(this.buf.length - keep);
        return;
      }
      if (at > 0) this.onText(this.buf.slice(0, at));
      const nl = this.buf.indexOf('\n', at);
      if (nl < 0) {
        this.buf = this.buf.slice(at);
        // A record is one JSON line; an unterminated giant one is not ours.
        if (this.buf.length > 4 * 1024 * 1024) this.flushAsText();
        return;
      }
      this.onRecord(this.buf.slice(at + this.mark.length, nl));
      this.buf = this.buf.slice(nl + 1);
    }
  }

  /** The stream ended: whatever is held back was text after all. */
  end(): void {
    this.buf += this.decoder.end();
    this.flushAsText();
  }

  private flushAsText(): void {
    if (this.buf) this.onText(this.buf);
    this.buf = '';
  }

  private partialMarkAtEnd(): number {
    for (let n = Math.min(this.mark.length - 1, this.buf.length); n > 0; n--) {
      if (this.buf.endsWith(this.mark.slice(0, n))) return n;
    }
    return 0;
  }
}
