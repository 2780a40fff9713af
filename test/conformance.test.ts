/**
 * One exercise's conformance on demand: `GRADE_EXERCISE=<id> npx tap
 * test/conformance.test.ts` (with GRADE_DRIVER=<name> to pick a driver).
 * Without GRADE_EXERCISE it does nothing: `npm test` runs every exercise from
 * its own file in test/conformance/, so one slow exercise never takes the
 * others down.
 */
import t from 'tap';
import { conformance } from './lib/conformance.ts';

const only = process.env.GRADE_EXERCISE;
if (only) await conformance(only);
else t.pass('per-exercise conformance runs from test/conformance/<exercise>.test.ts');
