// Conformance of connect-timeout under every driver (test/lib/conformance.ts).
import { conformance } from '../lib/conformance.ts';

await conformance('connect-timeout');
