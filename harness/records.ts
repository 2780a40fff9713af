/**
 * Event records as they travel from a lab program to the grader: one JSON
 * line each, on fd 3, or on stderr behind `eventRecordMark` under Docker.
 *
 * Records of a learner's runner are signed (harness/runner-kit.ts): the line
 * ends with `,"mac":"<hex>"}`, an HMAC-SHA256 with the run's key over the line
 * as it reads without that member, and carries `seq`, its number from 0.
 * `RecordVerifier` accepts exactly those, in order, and stamped no later than
 * they arrived. Side-effect free: runners, peers and the grader all import it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Starts an event record on stderr (LAB_EVENTS=stderr). */
export const eventRecordMark = '\x1e@lab ';

/** Why a record was refused, for tests and for the "forged records" note. */
export type Refusal = 'unsigned' | 'bad-mac' | 'malformed' | 'out-of-sequence' | 'from-the-future';

const macTail = /,"mac":"([0-9a-f]{64})"\}$/;

export class RecordVerifier {
  private nextSeq = 0;
  private lastT = -Infinity;
  readonly refused: Refusal[] = [];

  /**
   * @param key the run's key
   * @param slackMs how far a record's own time may lie after the moment it was
   *   received (clock reads differ by a little across processes and drivers)
   */
  constructor(
    private readonly key: Buffer,
    private readonly slackMs = 50,
  ) {}

  /** The record, if `line` is a genuine next record received at `receivedAt`; otherwise null. */
  accept(line: string, receivedAt: number): Record<string, unknown> | null {
    const m = macTail.exec(line);
    if (!m) return this.refuse('unsigned');
    const body = line.slice(0, m.index) + '}';
    const mac = Buffer.from(m[1]!, 'hex');
    const expected = createHmac('sha256', this.key).update(body).digest();
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return this.refuse('bad-mac');
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return this.refuse('malformed');
    }
    if (typeof rec.type !== 'string' || typeof rec.t !== 'number' || typeof rec.seq !== 'number') return this.refuse('malformed');
    if (rec.seq !== this.nextSeq) return this.refuse('out-of-sequence');
    if (rec.t > receivedAt + this.slackMs || rec.t < this.lastT) return this.refuse('from-the-future');
    this.nextSeq++;
    this.lastT = rec.t;
    return rec;
  }

  private refuse(why: Refusal): null {
    if (this.refused.length < 1000) this.refused.push(why);
    return null;
  }
}
