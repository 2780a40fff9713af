// mutant: no forced exit: work that never finishes holds the process past SHUTDOWN_TIMEOUT_MS
// fails: forced-exit-at-deadline, forced-exit-default
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const port = Number(process.env.PORT ?? 8080);
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);

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
  exitIfDrained();
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

server.listen(port);
