// The one seam between Auth.js and the rest of the server: who is signed in. Route-handler tests
// mock `@/auth` (only its `auth()` session lookup) and everything below runs for real.
import "server-only";

import { auth } from "@/auth";

import { HttpError } from "./http";

/** The signed-in researcher's user id, or null. */
export async function fetchSessionUserId(): Promise<string | null> {
  const session = await auth();
  return session?.user?.id ?? null;
}

/** For APIs: the signed-in researcher's id, or 401. */
export async function requireApiUserId(): Promise<string> {
  const userId = await fetchSessionUserId();
  if (!userId) throw new HttpError(401, "Sign in as a researcher to use this API");
  return userId;
}
