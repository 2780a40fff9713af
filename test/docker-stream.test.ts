/**
 * The docker driver's stream handling, without a daemon: docker's attach
 * frames are split back into stdout and stderr, and event records are taken
 * out of stderr however the chunks fall, leaving the program's text as it was.
 */
import t from 'tap';
import { eventRecordMark, FrameDemuxer, RecordSplitter } from '../harness/docker/stream.ts';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = type;
  head.writeUInt32BE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

t.test('frames are demultiplexed whatever the chunk boundaries', async (t) => {
  const all = Buffer.concat([frame(1, 'out-1\n'), frame(2, 'err-1\n'), frame(1, 'out-2'), frame(2, 'é')]);
  for (let size = 1; size <= all.length; size++) {
    const got = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const d = new FrameDemuxer((s, data) => got[s].push(Buffer.from(data)));
    for (let i = 0; i < all.length; i += size) d.push(all.subarray(i, i + size));
    t.equal(Buffer.concat(got.stdout).toString(), 'out-1\nout-2', `stdout, chunks of ${size}`);
    t.equal(Buffer.concat(got.stderr).toString(), 'err-1\né', `stderr, chunks of ${size}`);
  }
});

t.test('records come out of stderr; the text around them stays as written', async (t) => {
  const ev = (n: number) => `${eventRecordMark}{"t":${n},"type":"x"}\n`;
  const stream = `warn: a${ev(1)}b\n${ev(2)}${ev(3)}tail ü without newline`;
  const bytes = Buffer.from(stream);
  for (let size = 1; size <= bytes.length; size += 3) {
    let text = '';
    const records: string[] = [];
    const s = new RecordSplitter((x) => (text += x), (r) => records.push(r));
    for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
    s.end();
    t.equal(text, 'warn: ab\ntail ü without newline', `text, chunks of ${size}`);
    t.same(records, ['{"t":1,"type":"x"}', '{"t":2,"type":"x"}', '{"t":3,"type":"x"}'], `records, chunks of ${size}`);
  }
});

t.test('a half-written record at the end is text, not an event', async (t) => {
  let text = '';
  const records: string[] = [];
  const s = new RecordSplitter((x) => (text += x), (r) => records.push(r));
  s.push(`${eventRecordMark}{"t":1`);
  s.end();
  t.same(records, []);
  t.equal(text, `${eventRecordMark}{"t":1`);
});
