// Placeholder: being written. Replace with the exercise definition (see connect-timeout).
import type { ExerciseDef } from '../../types.ts';

const exercise: ExerciseDef = { id: 'graceful-shutdown', title: 'graceful-shutdown (in progress)', part: '', kind: 'module', peers: {}, scenarios: [], checks: [] };
export default exercise;
