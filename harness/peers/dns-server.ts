/**
 * Peer: the lab's resolver. A DNS server over UDP that answers only the names a
 * scenario declares, so no lookup ever leaves the lab:
 *  - a name with `a` / `aaaa` addresses: answered with those records (a name
 *    with records of one family only answers the other with no records, as
 *    real servers do: NOERROR, empty);
 *  - a name with `silent: true`: never answered (the learner's resolver gives
 *    up after its timeout: EAI_AGAIN);
 *  - a name with `delayMs`: answered that late;
 *  - any other name: NXDOMAIN (ENOTFOUND).
 * Events: listening, query (name, type, id, from), answer (name, type, rcode,
 * records), ignored (a packet that is no query).
 *
 * The learner's resolver configuration (harness/resolver.ts) names this peer's
 * address, with `options timeout:1 attempts:1`.
 */
import dgram from 'node:dgram';
import { config, emit } from '../agent.ts';

export interface NameSpec {
  a?: string[];
  aaaa?: string[];
  silent?: boolean;
  delayMs?: number;
  /** Seconds the answer may be cached (default 5). */
  ttl?: number;
}

interface Config {
  port?: number;
  names: Record<string, NameSpec>;
}

const cfg = config<Config>();
const names = new Map(Object.entries(cfg.names).map(([k, v]) => [k.toLowerCase().replace(/\.$/, ''), v]));

const TYPE_A = 1;
const TYPE_AAAA = 28;
const typeNames: Record<number, string> = { [TYPE_A]: 'A', [TYPE_AAAA]: 'AAAA' };

interface Question {
  id: number;
  flags: number;
  name: string;
  type: number;
  cls: number;
  /** The question section as it came, echoed back in the answer. */
  raw: Buffer;
}

/** The first question of a query, or null for anything else. */
function parseQuery(msg: Buffer): Question | null {
  if (msg.length < 12) return null;
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return null; // a response, not a query
  if (msg.readUInt16BE(4) < 1) return null;
  const labels: string[] = [];
  let off = 12;
  for (;;) {
    if (off >= msg.length) return null;
    const len = msg[off]!;
    if (len === 0) break;
    if (len > 63 || off + 1 + len > msg.length) return null;
    labels.push(msg.subarray(off + 1, off + 1 + len).toString('latin1'));
    off += 1 + len;
  }
  off += 1;
  if (off + 4 > msg.length) return null;
  return {
    id: msg.readUInt16BE(0),
    flags,
    name: labels.join('.').toLowerCase(),
    type: msg.readUInt16BE(off),
    cls: msg.readUInt16BE(off + 2),
    raw: msg.subarray(12, off + 4),
  };
}

function rdata(type: number, address: string): Buffer {
  if (type === TYPE_A) return Buffer.from(address.split('.').map(Number));
  // IPv6: expand '::' and write eight 16-bit groups.
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}

function answer(q: Question, rcode: number, addresses: string[], ttl: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  // QR, opcode 0, AA, RD copied from the query, RA, rcode.
  header.writeUInt16BE(0x8000 | 0x0400 | (q.flags & 0x0100) | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(addresses.length, 6);
  const records = addresses.map((address) => {
    const data = rdata(q.type, address);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(q.type, 2);
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(ttl, 6);
    rr.writeUInt16BE(data.length, 10);
    return Buffer.concat([rr, data]);
  });
  return Buffer.concat([header, q.raw, ...records]);
}

const socket = dgram.createSocket('udp4');
socket.on('message', (msg, from) => {
  const q = parseQuery(msg);
  if (!q) {
    emit('ignored', { bytes: msg.length, from: from.address });
    return;
  }
  const type = typeNames[q.type] ?? String(q.type);
  emit('query', { name: q.name, type, id: q.id, from: from.address, fromPort: from.port });
  const spec = names.get(q.name);
  if (spec?.silent) return;
  const addresses = !spec ? [] : q.type === TYPE_A ? (spec.a ?? []) : q.type === TYPE_AAAA ? (spec.aaaa ?? []) : [];
  const rcode = spec ? 0 : 3; // NOERROR or NXDOMAIN
  const send = () => {
    socket.send(answer(q, rcode, addresses, spec?.ttl ?? 5), from.port, from.address);
    emit('answer', { name: q.name, type, rcode: rcode === 3 ? 'NXDOMAIN' : 'NOERROR', records: addresses });
  };
  if (spec?.delayMs) setTimeout(send, spec.delayMs);
  else send();
});
socket.on('error', (err: NodeJS.ErrnoException) => {
  emit('listen-error', { code: err.code });
  process.exit(1);
});
socket.bind(cfg.port ?? 53, '0.0.0.0', () => emit('listening', { port: cfg.port ?? 53 }));
