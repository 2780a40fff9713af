/**
 * Names in the lab, under every driver (CI: both): the learner's lookups go to
 * the scenario's resolver peer (harness/peers/dns-server.ts) and nowhere else —
 * A and AAAA records, NXDOMAIN, a resolver that never answers (EAI_AGAIN in
 * about a second, `options timeout:1 attempts:1`), a slow answer — and a lab
 * without a resolver sends lookups nowhere outside it.
 */
import t, { type Test as Tap } from 'tap';
import path from 'node:path';
import { bundle } from '../harness/bundle.ts';
import type { Lab } from '../harness/lab.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';
import { testedDrivers } from './lib/conformance.ts';
import { testDriver } from './lib/grade.ts';

const out = runDir();
const dnsServer = await bundle({ entry: path.join(repoRoot, 'harness/peers/dns-server.ts'), outDir: out });
const lookupProbe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/lookup-probe.ts'), outDir: out });

interface Result {
  name: string;
  ms: number;
  addresses?: string[];
  code?: string;
}

async function lookups(t: Tap, lab: Lab, names: string[]): Promise<{ results: Record<string, Result>; resolv: string }> {
  const p = await lab.startLearner({ file: lookupProbe, args: [JSON.stringify({ names })] });
  t.ok(await p.waitFor('done', 20_000), 'the lookups end');
  await p.kill();
  const results = Object.fromEntries(p.eventsOf('result').map((e) => [e.name as string, e as unknown as Result]));
  return { results, resolv: String(p.eventsOf('resolv')[0]?.text ?? '') };
}

for (const name of await testedDrivers()) {
  t.test(`driver ${name}`, async (t) => {
    const driver = await testDriver(name);
    t.teardown(() => driver.closeAll());

    t.test("the scenario's resolver answers, and only it", async (t) => {
      await using lab = await driver.create({ peers: ['server', 'dns'], resolver: 'dns', label: 'names' });
      const server = lab.addresses.peers.server!;
      const dns = await lab.startPeer('dns', {
        file: dnsServer,
        args: [
          JSON.stringify({
            names: {
              'api.lab.test': { a: [server], aaaa: ['fd00:77::2'] },
              'v6only.lab.test': { aaaa: ['fd00:77::3'] },
              'slow.lab.test': { a: [server], delayMs: 400 },
              'silent.lab.test': { silent: true },
            },
          }),
        ],
      });
      t.ok(await dns.waitFor('listening', 5000), 'the resolver listens');
      const { results: r, resolv } = await lookups(t, lab, ['api.lab.test', 'v6only.lab.test', 'missing.lab.test', 'slow.lab.test', 'silent.lab.test']);
      t.match(resolv, new RegExp(`nameserver ${lab.addresses.peers.dns!.replaceAll('.', '\\.')}\\n`), "the learner's resolv.conf names the resolver peer");
      t.match(resolv, /options timeout:1 attempts:1/);
      t.same(r['api.lab.test']?.addresses?.sort(), [server, 'fd00:77::2'].sort(), 'A and AAAA records');
      t.same(r['v6only.lab.test']?.addresses, ['fd00:77::3'], 'a name with only an AAAA record');
      t.equal(r['missing.lab.test']?.code, 'ENOTFOUND', 'an undeclared name is NXDOMAIN: ENOTFOUND');
      t.same(r['slow.lab.test']?.addresses, [server], 'a slow answer still resolves');
      t.ok(r['slow.lab.test']!.ms >= 380, `…no sooner than its delay (${r['slow.lab.test']!.ms.toFixed(0)} ms)`);
      t.equal(r['silent.lab.test']?.code, 'EAI_AGAIN', 'a resolver that never answers: EAI_AGAIN');
      const silentMs = r['silent.lab.test']!.ms;
      t.ok(silentMs >= 900 && silentMs < 3500, `…after about a second (${silentMs.toFixed(0)} ms)`);
      const queries = dns.eventsOf('query');
      t.ok(queries.some((q) => q.name === 'silent.lab.test'), 'the resolver saw the query it did not answer');
      t.ok(queries.every((q) => q.from === lab.addresses.learner), 'every query came from the learner, through the router');
    });

    t.test('without a resolver, lookups go nowhere outside the lab', async (t) => {
      await using lab = await driver.create({ peers: ['server'], label: 'no-names' });
      const { results: r, resolv } = await lookups(t, lab, ['example.com', 'localhost']);
      t.match(resolv, new RegExp(`nameserver ${lab.addresses.nobody.replaceAll('.', '\\.')}\\n`), 'resolv.conf names an address where nobody answers');
      t.equal(r['example.com']?.code, 'EAI_AGAIN', 'an outside name is not resolved');
      t.ok(r['example.com']!.ms < 3500, `…and fails within seconds (${r['example.com']!.ms.toFixed(0)} ms)`);
      t.ok(r['localhost']?.addresses?.includes('127.0.0.1'), 'localhost still resolves (/etc/hosts)');
    });
  });
}
