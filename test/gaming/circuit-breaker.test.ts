// Gaming circuit-breaker (test/lib/gaming.ts). Seeds 2 and 3 draw two and three leading successes (new Draws(seed),
// 'leadingOks') and two calls at once after the opening ('openCalls'): a breaker that opens by counting calls opens one
// call early, and one that stays open for a fixed number of calls rejects the probe.
import { gaming } from '../lib/gaming.ts';

await gaming('circuit-breaker', [2, 3]);
