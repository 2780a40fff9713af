// Conformance of reconnecting-client under every driver (test/lib/conformance.ts).
import { conformance } from '../lib/conformance.ts';

await conformance('reconnecting-client');
