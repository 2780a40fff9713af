// Gaming idle-timeout (test/lib/gaming.ts). Seeds 36 and 117 give the silent scenario the long idleMs (1717 and 1800 ms)
// and the blackhole one the short (665 and 648 ms) (new Draws(seed), 'quiet.short'): a fixed 1175 ms closes early on the
// first, a fixed 1700 ms late on the second. The other fixtures lose at any seed.
import { gaming } from '../lib/gaming.ts';

await gaming('idle-timeout', [36, 117]);
