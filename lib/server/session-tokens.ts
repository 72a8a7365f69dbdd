// Researcher session tokens (Auth.js JWT cookies) beyond their signature: each carries the time of
// sign-in and the user's session version. A token dies SESSION_MAX_AGE_S after sign-in however often
// it is refreshed (the /api/auth/session endpoint re-signs it on every call), and at sign-out the
// user's version is bumped, which ends every token issued before — a copied cookie included.
import "server-only";

import { getDb } from "./db";

/** 8 h ≈ one working day, counted from sign-in. */
export const SESSION_MAX_AGE_S = 8 * 60 * 60;

export type SessionClaims = { sub?: string; signedInAt?: unknown; sessionVersion?: unknown };

/** Claims to put into a new token at sign-in. */
export async function claimsAtSignIn(userId: string, nowS = Math.floor(Date.now() / 1000)) {
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: { sessionVersion: true },
  });
  return { sub: userId, signedInAt: nowS, sessionVersion: user?.sessionVersion ?? 0 };
}

/** True while a token is within its lifetime and its user has not signed out since. */
export async function sessionStillValid(
  claims: SessionClaims,
  nowS = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  const { sub, signedInAt, sessionVersion } = claims;
  if (!sub || typeof signedInAt !== "number" || typeof sessionVersion !== "number") return false;
  if (nowS - signedInAt >= SESSION_MAX_AGE_S) return false;
  const user = await getDb().user.findUnique({
    where: { id: sub },
    select: { sessionVersion: true },
  });
  return user?.sessionVersion === sessionVersion;
}

/** When a token signed in at `signedInAt` (seconds) stops working. */
export function sessionEndsAt(signedInAt: number) {
  return new Date((signedInAt + SESSION_MAX_AGE_S) * 1000);
}

/** Sign-out: end every session of this user issued so far. */
export async function revokeSessions(userId: string) {
  await getDb().user.updateMany({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
  });
}
