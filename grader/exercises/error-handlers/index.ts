// Placeholder: being written. Replace with the exercise definition (see connect-timeout).
import type { ExerciseDef } from '../../types.ts';

const exercise: ExerciseDef = { id: 'error-handlers', title: 'error-handlers (in progress)', part: '', kind: 'module', peers: {}, scenarios: [], checks: [] };
export default exercise;
