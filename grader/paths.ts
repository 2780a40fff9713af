import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const exerciseFile = (id: string): string => path.join(repoRoot, 'exercises', id, 'index.ts');
export const solutionFile = (id: string): string => path.join(repoRoot, 'solutions', id, 'index.ts');
export const gradeDir = (id: string): string => path.join(repoRoot, 'grader', 'exercises', id);
