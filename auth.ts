// Auth.js v5: researchers sign in with email + password (Credentials, bcrypt hashes in User),
// sessions are JWT cookies. Sign-in attempts are rate-limited per email + client IP in the
// database, inside authorize() (lib/server/sign-in.ts), so the limit also covers direct POSTs to
// /api/auth/callback/credentials.
import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";

import { resolveAuthSecret } from "@/lib/server/auth-secret";
import { checkResearcherCredentials } from "@/lib/server/sign-in";

import { authConfig } from "./auth.config";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
  }
}

/** Thrown by authorize() when the limit is reached; the login action turns it into a message. */
export class SignInRateLimited extends CredentialsSignin {
  code = "rate_limited";
}

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
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(raw, request) {
        const check = await checkResearcherCredentials(raw, request.headers);
        if (check.kind === "rate-limited") throw new SignInRateLimited();
        return check.kind === "ok" ? check.user : null;
      },
    }),
  ],
});
