// Conformance of safe-retry under every driver (test/lib/conformance.ts).
import { conformance } from '../lib/conformance.ts';

await conformance('safe-retry');
