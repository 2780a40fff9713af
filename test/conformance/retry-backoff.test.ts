// Conformance of retry-backoff under every driver (test/lib/conformance.ts).
import { conformance } from '../lib/conformance.ts';

await conformance('retry-backoff');
