// mutant: global fetch with AbortController timers — fetch cannot tell the connect from the wait for the first byte, and aborting it does not cancel a connect in progress (its socket keeps sending SYNs)
// fails: connect-deadline, idle-deadline, no-syn-after-connect-deadline
function timeoutError(what: string, limitMs: number): Error {
  const err = new Error(`${what} timeout after ${limitMs} ms`) as Error & { code?: string };
  err.code = 'ETIMEDOUT';
  return err;
}

export interface Deadlines {
  connectMs: number;
  idleMs: number;
  totalMs: number;
}

export async function getWithDeadlines(url: string, d: Deadlines): Promise<{ status: number; body: string }> {
  const ac = new AbortController();
  let reason: Error | undefined;
  const abort = (err: Error) => {
    reason ??= err;
    ac.abort(err);
  };
  const total = setTimeout(() => abort(timeoutError('overall request', d.totalMs)), d.totalMs);
  // fetch shows no handshake and no moment the request was sent: connect and the wait for the first byte share one timer.
  let idle = setTimeout(() => abort(timeoutError('connect or first byte', d.connectMs + d.idleMs)), d.connectMs + d.idleMs);
  const rearm = () => {
    clearTimeout(idle);
    idle = setTimeout(() => abort(timeoutError('idle', d.idleMs)), d.idleMs);
  };
  try {
    const res = await fetch(url, { signal: ac.signal });
    rearm();
    const reader = res.body!.getReader();
    const parts: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rearm();
      parts.push(value);
    }
    return { status: res.status, body: Buffer.concat(parts).toString('utf8') };
  } catch (err) {
    throw reason ?? err;
  } finally {
    clearTimeout(total);
    clearTimeout(idle);
  }
}
