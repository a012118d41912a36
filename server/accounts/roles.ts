export const ROLES = ['student', 'instructor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in person as every service sees them: who is calling, and with what role. */
export interface Caller {
  id: string;
  name: string;
  email: string;
  role: Role;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // req.user is the Caller that passport deserialises from the session.
    interface User extends Caller {}
  }
}
