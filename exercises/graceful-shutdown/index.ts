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

// TODO: create an HTTP server that serves `route`, listen on `port`, and on
// SIGTERM and SIGINT shut it down gracefully:
//  - stop accepting new connections;
//  - let requests in flight finish with their normal response;
//  - answer requests that arrive on open keep-alive connections with
//    `Connection: close` (a 503, or the normal response);
//  - close idle keep-alive connections;
//  - exit with code 0 as soon as nothing is in flight;
//  - if work is still running after shutdownTimeoutMs, exit with code 1.
throw new Error('not implemented yet');
