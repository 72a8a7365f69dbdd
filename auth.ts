// Auth.js v5: researchers sign in with email + password (Credentials, bcrypt hashes in User),
// sessions are JWT cookies. Sign-in attempts are rate-limited per email + client IP in the
// database, inside authorize(), so the limit also covers direct POSTs to /api/auth/callback.
import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";

import { resolveAuthSecret } from "@/lib/server/auth-secret";
import { clientIpFrom, hitRateLimit } from "@/lib/server/rate-limit";
import { verifyResearcher } from "@/lib/server/users";

import { authConfig } from "./auth.config";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
  }
}

/** 10 attempts per 10 minutes per email + IP: enough for typos, far too few for guessing. */
export const SIGN_IN_LIMIT = { attempts: 10, windowMs: 10 * 60_000 } as const;

/** Thrown by authorize() when the limit is reached; the login action turns it into a message. */
export class SignInRateLimited extends CredentialsSignin {
  code = "rate_limited";
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(200),
  password: z.string().min(1).max(200),
});

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  secret: resolveAuthSecret(),
  logger: {
    // A wrong password is an expected outcome, not a server error worth a stack trace.
    error(error) {
      if (error instanceof CredentialsSignin) return;
      console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const limit = await hitRateLimit(`sign-in:${email}|${clientIpFrom(request.headers)}`, SIGN_IN_LIMIT.attempts, SIGN_IN_LIMIT.windowMs);
        if (!limit.allowed) throw new SignInRateLimited();
        return verifyResearcher(email, password);
      },
    }),
  ],
});
