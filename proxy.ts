// Next 16 proxy (formerly middleware): signed-out visitors of researcher pages are redirected to
// /login?callbackUrl=…. Pages and APIs check ownership themselves; this is only the first gate.
import NextAuth from "next-auth";

import { resolveAuthSecret } from "@/lib/server/auth-secret";

import { authConfig } from "./auth.config";

export default NextAuth({ ...authConfig, secret: resolveAuthSecret() }).auth;

export const config = { matcher: ["/studies", "/studies/:path*"] };
