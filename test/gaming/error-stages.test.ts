// Gaming error-stages (test/lib/gaming.ts). Seeds 20 and 31 give the silent peer a long hold (1143 and 1166 ms of
// ranges.holdMs, new Draws(seed)): a timer started at connect and stretched by a fixed 800 ms fires well before idleMs
// has passed since the request was in. stage-by-size loses at any seed: read-reset sends several MB too.
import { gaming } from '../lib/gaming.ts';

await gaming('error-stages', [20, 31]);
