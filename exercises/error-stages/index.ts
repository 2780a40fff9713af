/**
 * Exercise: error-stages — Part 10 and "the full request path".
 *
 * One request, five places to fail: the name lookup, the TCP connect, writing
 * the request, reading the reply, and waiting for it. Report each failure on
 * its stage, with Node's own error code — and never reject.
 *
 * Run `npx grade error-stages` to grade this file. See README.md.
 */

export type Stage = 'lookup' | 'connect' | 'write' | 'read' | 'idle';
export type ProbeResult = { ok: true; reply: string } | { ok: false; stage: Stage; code: string };

/**
 * Looks `host` up (a name or an IP literal), connects to `port`, writes
 * `request`, and reads until the peer ends its side.
 * - Resolves `{ ok: true, reply }` with everything the peer sent.
 * - On any failure resolves `{ ok: false, stage, code }`: the stage it happened
 *   in and Node's own error code (`ETIMEDOUT` for your own timers: connectMs for
 *   the connect, idleMs of silence once the request is written).
 * - Never rejects, and closes the socket after every outcome.
 */
export function probe(host: string, port: number, request: string, opts: { connectMs: number; idleMs: number }): Promise<ProbeResult> {
  // TODO: look up, connect with a timer, write, read with an idle timer; track the stage you are in.
  throw new Error('not implemented yet');
}
