// Conformance of request-deadline under every driver (test/lib/conformance.ts).
import { conformance } from '../lib/conformance.ts';

await conformance('request-deadline');
