// Gaming graceful-shutdown (test/lib/gaming.ts). Seed 1 draws SHUTDOWN_TIMEOUT_MS 1927 ms for the deadline
// scenario, seed 2 draws 2703 ms: a fixed 1500 ms exits early, a fixed 10 s far too late.
import { gaming } from '../lib/gaming.ts';

await gaming('graceful-shutdown', [1, 2]);
