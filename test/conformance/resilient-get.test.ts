// Conformance of resilient-get under every driver (test/lib/conformance.ts).
import { conformance } from '../lib/conformance.ts';

await conformance('resilient-get');
