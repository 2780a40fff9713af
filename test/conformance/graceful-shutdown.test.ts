// Conformance of graceful-shutdown under every driver (test/lib/conformance.ts).
import { conformance } from '../lib/conformance.ts';

await conformance('graceful-shutdown');
