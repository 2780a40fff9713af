// The router container's main program (plain JavaScript: it runs on the lab
// image's node, outside any bundle). harness/docker/driver.ts passes it as
// `node -e` with one JSON argument and talks to it over `docker attach`:
//
//   stdout  READY <ms>              the trace monitor is known to listen
//           T <ms> <nft trace line> every trace line, stamped on arrival here
//           R <json>                the answer to one command
//           S <ip length>           a settle probe of that size was traced
//   stdin   {"settle":N}            send a probe with an N-byte payload
//           E <message>             setup failed (the process then exits 1)
//   stdin   {"id":1,"args":["-j","list","table","inet","lab"],"input":"…"}
//           runs `nft ARGS` (with INPUT on its stdin) and answers R.
//
// Stamps are CLOCK_MONOTONIC ms (process.hrtime), the clock of every
// process on this kernel, so they compare with the grader's and the programs'.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';

const cfg = JSON.parse(process.argv[1] ?? '{}');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const say = (line) => process.stdout.write(line + '\n');

function fail(message) {
  say(`E ${message.replace(/\n/g, ' | ')}`);
  process.exit(1);
}

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

// Docker named the interfaces eth0, eth1… in attach order and gave them
// addresses of its choosing; find each by its address, then give it the
// name and address the fault rules expect (the router is each link's gateway).
const links = JSON.parse(run('ip', ['-j', '-4', 'addr', 'show']));
for (const i of cfg.ifaces) {
  const link = links.find((l) => (l.addr_info ?? []).some((a) => a.local === i.from));
  if (!link) fail(`no interface has ${i.from}`);
  run('ip', ['link', 'set', link.ifname, 'down']);
  run('ip', ['link', 'set', link.ifname, 'name', i.name]);
  run('ip', ['addr', 'flush', 'dev', i.name]);
  run('ip', ['addr', 'add', i.addr, 'dev', i.name]);
  run('ip', ['link', 'set', i.name, 'up']);
}
// No way out: the router forwards between lab links only.
spawnSync('ip', ['route', 'del', 'default']);
run('nft', ['-f', '-'], cfg.ruleset);

let ready = false;
const monitor = spawn('stdbuf', ['-oL', 'nft', 'monitor', 'trace'], { stdio: ['ignore', 'pipe', 'inherit'] });
monitor.on('exit', (code) => fail(`nft monitor exited (${code})`));
createInterface({ input: monitor.stdout }).on('line', (line) => {
  const t = now();
  if (/udp dport 9\b/.test(line)) {
    // The probe chain stays: it traces only the router's own probes, which
    // also serve to settle the wire (everything before a probe was reported).
    if (!ready) {
      ready = true;
      say(`READY ${now()}`);
    } else {
      const len = /ip length (\d+)/.exec(line)?.[1];
      if (len) say(`S ${len}`);
    }
    return;
  }
  say(`T ${t} ${line}`);
});

// Subscribing takes a moment and a packet sent before would be missed: send
// probes (traced by the probe chain) until one is seen.
const sock = createSocket('udp4');
sock.on('error', () => {});
let tries = 0;
const probe = setInterval(() => {
  if (ready) {
    clearInterval(probe);
    sock.close();
    return;
  }
  if (++tries > 1000) fail('the trace monitor did not start (is this kernel built with nftables tracing?)');
  sock.send('probe', 9, cfg.probe);
}, 5);

createInterface({ input: process.stdin }).on('line', (line) => {
  let c;
  try {
    c = JSON.parse(line);
  } catch {
    return;
  }
  if (typeof c.settle === 'number') {
    const s = createSocket('udp4');
    s.on('error', () => {});
    s.send(Buffer.alloc(c.settle, 32), 9, cfg.probe, () => s.close());
    return;
  }
  const child = spawn('nft', c.args, { stdio: [c.input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (err += b));
  child.on('error', (e) => (err += e.message));
  child.on('close', (code) => say(`R ${JSON.stringify({ id: c.id, code, stdout: out, stderr: err })}`));
  if (c.input) {
    // nft may be done (and gone) before it reads its input.
    child.stdin.on('error', () => {});
    child.stdin.end(c.input);
  }
});
// The grader hangs up when it removes the lab; nothing to wait for then.
process.stdin.on('end', () => process.exit(0));
