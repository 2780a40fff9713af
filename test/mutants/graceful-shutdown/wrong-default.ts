// mutant: when SHUTDOWN_TIMEOUT_MS is not set, falls back to 5 s instead of the contract's 10 s
// fails: forced-exit-default
/**
 * Exercise: graceful-shutdown — Part 9, "Graceful shutdown".
 *
 * A deploy sends your server SIGTERM (Ctrl-C sends SIGINT). Killing it there
 * and then cuts requests off mid-response. Shut down gracefully instead: stop
 * taking new connections, finish what is in flight, then exit — and give up
 * after SHUTDOWN_TIMEOUT_MS if the work will not finish.
 *
 * Run `npx grade graceful-shutdown` to grade this file. See README.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const port = Number(process.env.PORT ?? 8080);
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 5_000);

/** GET /work?ms=N answers "done" after N ms; every other path answers "ok". */
function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/work') {
    const workMs = Math.max(0, Number(url.searchParams.get('ms')) || 0);
    const timer = setTimeout(() => res.end('done\n'), workMs);
    res.on('close', () => clearTimeout(timer)); // the client went away: stop working for it
  } else {
    res.end('ok\n');
  }
}

let draining = false;
/** Responses not yet finished: the drain is done when this is empty. */
const inFlight = new Set<ServerResponse>();

const server = createServer((req, res) => {
  if (draining) {
    // A keep-alive client sent another request after the signal: answer it,
    // and tell it to go (Node closes the connection after this response).
    res.writeHead(503, { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end('shutting down\n');
    return;
  }
  inFlight.add(res);
  res.on('close', () => {
    inFlight.delete(res);
    if (draining) exitIfDrained();
  });
  route(req, res);
});

function exitIfDrained(): void {
  if (inFlight.size === 0) process.exit(0);
}

function shutdown(): void {
  if (draining) return;
  draining = true;
  server.close(); // stop accepting: new connections are refused from now on
  server.closeIdleConnections(); // keep-alive connections with nothing to do
  setTimeout(() => process.exit(1), shutdownTimeoutMs).unref(); // work that will not finish
  exitIfDrained();
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

server.listen(port);
