// The Credentials check behind Auth.js's authorize(): rate limit, then password. Kept out of
// auth.ts so it can be tested against a real database without Auth.js.
import "server-only";

import { z } from "zod";

import { findUnstorableText } from "./http";
import { clientIpFrom, hitRateLimit, resetRateLimit } from "./rate-limit";
import { verifyResearcher } from "./users";

/** 10 attempts per 10 minutes per email + IP: enough for typos, far too few for guessing. */
export const SIGN_IN_LIMIT = { attempts: 10, windowMs: 10 * 60_000 } as const;

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(200),
  password: z.string().min(1).max(200),
});

export type SignInCheck =
  | { kind: "ok"; user: { id: string; email: string; name: string | null } }
  | { kind: "invalid" }
  | { kind: "rate-limited" };

/**
 * Every attempt counts (atomically, so a parallel burst cannot slip past the limit); a correct
 * password resets the counter, so only failures accumulate for a real researcher.
 */
export async function checkResearcherCredentials(
  raw: unknown,
  headers: Headers,
): Promise<SignInCheck> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success || findUnstorableText(parsed.data) !== null) return { kind: "invalid" };
  const { email, password } = parsed.data;
  const key = `sign-in:${email}|${clientIpFrom(headers)}`;
  const limit = await hitRateLimit(key, SIGN_IN_LIMIT.attempts, SIGN_IN_LIMIT.windowMs);
  if (!limit.allowed) return { kind: "rate-limited" };
  const user = await verifyResearcher(email, password);
  if (!user) return { kind: "invalid" };
  await resetRateLimit(key);
  return { kind: "ok", user };
}
