// Gaming request-deadline (test/lib/gaming.ts): the URL's path and the body's bytes are neutral tokens drawn per run,
// so a file that reads the scenario from them (as it could while they named it) loses at any seed.
import { gaming } from '../lib/gaming.ts';

await gaming('request-deadline', [7, 8]);
