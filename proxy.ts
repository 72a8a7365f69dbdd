// Next 16 proxy (formerly middleware): signed-out visitors of researcher pages are redirected to
// /login?callbackUrl=…. Pages and APIs check ownership themselves; this is only the first gate.
import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";

import { resolveAuthSecret } from "@/lib/server/auth-secret";

import { authConfig } from "./auth.config";

const guard = NextAuth({ ...authConfig, secret: resolveAuthSecret() }).auth as unknown as (req: NextRequest, ev: NextFetchEvent) => Promise<Response>;

export default function proxy(req: NextRequest, ev: NextFetchEvent) {
  // Only page visits are guarded here. Anything else under /studies is a server action (with or
  // without JavaScript, so not always marked by a Next-Action header), and every action checks
  // the session itself. Letting the guard see them would append a refreshed session cookie to
  // the sign-out action's response and undo the sign-out.
  if (req.method !== "GET" && req.method !== "HEAD") return NextResponse.next();
  return guard(req, ev);
}

export const config = { matcher: ["/studies", "/studies/:path*"] };
