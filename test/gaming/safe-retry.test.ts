// Gaming safe-retry (test/lib/gaming.ts). Seeds 167 and 188 draw attemptTimeoutMs 598 and 595 ms (new Draws(seed),
// 'hung.attemptTimeoutMs'), so a fixed 500 ms attempt timeout gives up on every hung attempt too early, and they open
// get-recovers with a 500 and a 502 (its 'status0'), which a file that retries only 503 does not retry. The fixed key
// loses at any seed.
import { gaming } from '../lib/gaming.ts';

await gaming('safe-retry', [167, 188]);
