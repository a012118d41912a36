import { User } from '../server/accounts/model.ts';
import { hashPassword } from '../server/accounts/passwords.ts';
import { DEMO_ACCOUNTS } from '../server/accounts/demo-accounts.ts';

/** Creates the demo instructor and student if they are missing; returns how many were made. */
export async function seedDemoUsers(): Promise<number> {
  let made = 0;
  for (const account of DEMO_ACCOUNTS) {
    const res = await User.updateOne(
      { email: account.email },
      {
        $setOnInsert: {
          email: account.email,
          name: account.name,
          role: account.role,
          demo: true,
          passwordHash: await hashPassword(account.password),
        },
      },
      { upsert: true },
    );
    made += res.upsertedCount;
  }
  return made;
}
