// Gaming resilient-get (test/lib/gaming.ts). Seeds 131 and 144 draw both timed-out attempts long (attemptTimeoutMs 1095
// and 1052, 1088 and 1096 ms: 'mixed.timeout', 'trickle.timeout' of new Draws(seed)): a fixed 850 ms gives up early on
// both. Both seeds draw 5xx other than 503. The path-keyed file loses at any seed: paths are neutral, drawn per run.
import { gaming } from '../lib/gaming.ts';

await gaming('resilient-get', [131, 144]);
