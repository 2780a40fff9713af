// variant: every response written during the drain says Connection: close, so server.close()'s callback marks its end
import { createServer } from 'node:http';
import { once } from 'node:events';

const port = Number(process.env.PORT ?? 8080);
const limitMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
let shuttingDown = false;

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/work') {
    await new Promise((r) => setTimeout(r, Number(url.searchParams.get('ms')) || 0));
    if (shuttingDown) res.shouldKeepAlive = false; // Node then sends Connection: close and closes after the response
    res.end('done');
  } else {
    if (shuttingDown) res.shouldKeepAlive = false;
    res.end('ok');
  }
});
server.listen(port);

const signal = await Promise.race([once(process, 'SIGTERM').then(() => 'SIGTERM'), once(process, 'SIGINT').then(() => 'SIGINT')]);
shuttingDown = true;
console.log(`${signal}: draining`);
const forced = setTimeout(() => {
  console.error('drain took too long');
  process.exit(1);
}, limitMs);
// Stops accepting and closes idle connections now; calls back once the last
// connection has closed — every busy one closes after its response.
server.close(() => {
  clearTimeout(forced);
  process.exit(0);
});
