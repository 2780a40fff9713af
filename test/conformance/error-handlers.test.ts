// Conformance of error-handlers under every driver (test/lib/conformance.ts).
import { conformance } from '../lib/conformance.ts';

await conformance('error-handlers');
