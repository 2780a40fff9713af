// variant: requests during the drain get their normal response with Connection: close; a 100 ms poll decides when the drain is done
import http from 'node:http';

const PORT = Number(process.env.PORT ?? 8080);
const SHUTDOWN_TIMEOUT_MS = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);

let stopping = false;
let active = 0;

const server = http.createServer((req, res) => {
  active++;
  res.once('close', () => active--);
  // Once stopping, every response started from here on tells the client to go.
  if (stopping) res.setHeader('Connection', 'close');
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://x');
  if (pathname === '/work') {
    setTimeout(() => res.end('done'), Number(searchParams.get('ms') ?? 0));
  } else {
    res.end('ok');
  }
});

server.listen(PORT, '0.0.0.0');

function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close();
  const started = Date.now();
  const poll = setInterval(() => {
    if (active === 0) process.exit(0);
    if (Date.now() - started >= SHUTDOWN_TIMEOUT_MS) process.exit(1);
  }, 100);
  // The poll's own deadline could be up to 100 ms late: a timer is exact.
  setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS);
  void poll;
}

for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, stop);
