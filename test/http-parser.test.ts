/** The HTTP client peer's parser: every framing, any split, and memory bounded whatever the server sends. */
import t from 'tap';
import { ResponseParser } from '../harness/peers/http-parser.ts';

function feed(text: string, split: number): Array<{ status: number; body: string }> {
  const p = new ResponseParser();
  const out: Array<{ status: number; body: string }> = [];
  const b = Buffer.from(text, 'latin1');
  for (let i = 0; i < b.length; i += split) out.push(...p.push(b.subarray(i, i + split)));
  const last = p.end();
  if (last) out.push(last);
  return out.map((r) => ({ status: r.status, body: r.body }));
}

const stream =
  'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello' +
  'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n' +
  'HTTP/1.1 204 No Content\r\n\r\n' +
  'HTTP/1.1 503 Busy\r\nConnection: close\r\n\r\nto the end';
const expected = [
  { status: 200, body: 'hello' },
  { status: 201, body: 'abcde' },
  { status: 204, body: '' },
  { status: 503, body: 'to the end' },
];

for (const split of [1, 2, 3, 7, 64, 100000]) {
  t.same(feed(stream, split), expected, `pipelined responses, fed ${split} byte(s) at a time`);
}

t.test('an endless chunked body: memory stays bounded, the start is kept', async (t) => {
  const p = new ResponseParser();
  p.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'));
  const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 0x61), Buffer.from('\r\n')]);
  for (let i = 0; i < 3000; i++) {
    // ~200 MB in all, pieces cut across chunk boundaries
    p.push(chunk.subarray(0, 40000));
    p.push(chunk.subarray(40000));
  }
  const internal = p as unknown as { buf: Buffer; kept: Buffer[] };
  t.ok(internal.buf.length < 70000, `unparsed bytes stay small (${internal.buf.length})`);
  t.ok(internal.kept.reduce((n, b) => n + b.length, 0) <= 500, 'at most 500 bytes of body kept');
  const [r] = p.push(Buffer.from('0\r\n\r\n'));
  t.equal(r?.body, 'a'.repeat(500), 'the body reported is its first 500 bytes');
});

t.test('a huge Content-Length is counted, not buffered', async (t) => {
  const p = new ResponseParser();
  p.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n'));
  let early = 0;
  for (let i = 0; i < 1000; i++) early += p.push(Buffer.alloc(50000, 0x62)).length;
  t.equal(early, 0, 'no response before the last byte');
  t.ok((p as unknown as { buf: Buffer }).buf.length === 0, 'nothing left unparsed');
  const [r] = p.push(Buffer.alloc(50000000, 0x62));
  t.equal(r?.status, 200, 'complete once every byte came');
});

t.test('a head or chunk line that never ends is cut off as malformed (status 0)', async (t) => {
  const p = new ResponseParser();
  let out = p.push(Buffer.from('HTTP/1.1 200 OK\r\nX: '));
  for (let i = 0; i < 100 && out.length === 0; i++) out = p.push(Buffer.alloc(1024, 0x78));
  t.equal(out[0]?.status, 0, 'the head is given up on after 64 KB: status 0');
  const q = new ResponseParser();
  q.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'));
  const [bad] = q.push(Buffer.alloc(4096, 0x31));
  t.equal(bad?.status, 200, 'a chunk-size line without end is given up on');
  t.ok((q as unknown as { buf: Buffer }).buf.length === 0, 'and dropped');
});
