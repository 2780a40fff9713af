// Gaming idle-timeout (test/lib/gaming.ts). Seeds 36 and 117 draw idleMs 1112 and 1136 ms for the silent scenario, 1178
// and 1151 ms for the blackhole one: a fixed 900 ms closes well short of them (new Draws(seed), 'silent.idleMs').
import { gaming } from '../lib/gaming.ts';

await gaming('idle-timeout', [36, 117]);
