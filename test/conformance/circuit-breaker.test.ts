// Conformance of circuit-breaker under every driver (test/lib/conformance.ts).
import { conformance } from '../lib/conformance.ts';

await conformance('circuit-breaker');
