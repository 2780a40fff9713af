// Conformance of idle-timeout under every driver (test/lib/conformance.ts).
import { conformance } from '../lib/conformance.ts';

await conformance('idle-timeout');
