// Gaming retry-backoff (test/lib/gaming.ts). Seeds 10 and 25 draw 8 attempts for the storm, 7 for the capped
// case with a cap under 200 ms, and error codes other than ECONNRESET/EACCES (.scratch-free: drawPlan(new Draws(seed))).
import { gaming } from '../lib/gaming.ts';

await gaming('retry-backoff', [10, 25]);
