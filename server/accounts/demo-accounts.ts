import type { Role } from './roles.ts';

/**
 * The demo accounts made on the embedded default (or with LECTERN_DEMO=1). Their passwords are
 * public on purpose: the login page shows them so a newcomer can look around at once.
 */
export const DEMO_ACCOUNTS: ReadonlyArray<{ role: Role; name: string; email: string; password: string }> = [
  { role: 'instructor', name: 'Dr Demo Instructor', email: 'instructor@demo.lectern', password: 'demo-instructor-pass' },
  { role: 'student', name: 'Demo Student', email: 'student@demo.lectern', password: 'demo-student-pass' },
];
