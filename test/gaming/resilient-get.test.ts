// Gaming resilient-get (test/lib/gaming.ts). Seeds 118 and 713 draw both timed-out attempts long (attemptTimeoutMs 1089
// and 1097, 1096 and 1066 ms: 'mixed.timeout', 'trickle.timeout' of new Draws(seed)): a fixed 850 ms gives up early on
// both, beyond the 100 ms the check allows. Both seeds draw 5xx other than 503. The path-keyed file loses at any seed:
// paths are neutral, drawn per run.
import { gaming } from '../lib/gaming.ts';

await gaming('resilient-get', [118, 713]);
