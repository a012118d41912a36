import type { Request } from 'express';

/** The address links are shown with: PUBLIC_URL when set, else the address the admin is using. */
export function linkBase(req: Request, publicUrl: string | undefined): string {
  return publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
