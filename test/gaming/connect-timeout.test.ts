// Gaming connect-timeout (test/lib/gaming.ts). Seeds: 2 draws connectMs 2229 ms for the drop scenario
// (a fixed 1500 ms gives up early), 10 draws 958 ms (a fixed 1500 ms gives up 542 ms late).
import { gaming } from '../lib/gaming.ts';

await gaming('connect-timeout', [2, 10]);
