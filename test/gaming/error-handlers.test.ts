// Gaming error-handlers (test/lib/gaming.ts). Seeds 2 and 5 hand the port-in-use scenario its own address
// and no host, never '0.0.0.0' (drawn: port-in-use.host).
import { gaming } from '../lib/gaming.ts';

await gaming('error-handlers', [2, 5]);
