// Conformance of error-stages under every driver (test/lib/conformance.ts).
import { conformance } from '../lib/conformance.ts';

await conformance('error-stages');
