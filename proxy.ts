// Next 16 proxy (formerly middleware): signed-out visitors of researcher pages are redirected to
// /login?callbackUrl=…. Pages and APIs check ownership themselves; this is only the first gate.
import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";

import { resolveAuthSecret } from "@/lib/server/auth-secret";

import { authConfig } from "./auth.config";

const guard = NextAuth({ ...authConfig, secret: resolveAuthSecret() }).auth as unknown as (
  req: NextRequest,
  ev: NextFetchEvent,
) => Promise<Response>;

export default async function proxy(req: NextRequest, ev: NextFetchEvent) {
  // Only page visits are guarded here. Anything else under /studies is a server action (with or
  // without JavaScript, so not always marked by a Next-Action header), and every action checks
  // the session itself.
  if (req.method !== "GET" && req.method !== "HEAD") return NextResponse.next();
  const res = await guard(req, ev);
  // The guard decides; it never writes the session cookie. Auth.js re-issues the cookie on every
  // request it guards (a rolling expiry), so a page load or link prefetch still in flight when
  // the researcher signed out put the cookie back afterwards and undid the sign-out (a flaky e2e
  // test showed it). Sessions now end at sign-out or 8 h after sign-in (auth.config.ts).
  res.headers.delete("set-cookie");
  return res;
}

export const config = { matcher: ["/studies", "/studies/:path*"] };
