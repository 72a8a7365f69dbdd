// For researcher pages: the signed-in user's id, or a redirect to /login. The proxy already sends
// signed-out visitors away; this is the second check, right where the data is read.
import "server-only";

import { redirect } from "next/navigation";

import { fetchSessionUserId } from "@/lib/server/session";

export async function requireResearcherId(returnTo: string): Promise<string> {
  const userId = await fetchSessionUserId();
  if (!userId) redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
  return userId;
}
