// Auth.js v5: researchers sign in with email + password (Credentials, bcrypt hashes in User),
// sessions are JWT cookies. Sign-in attempts are rate-limited per email + client IP in the
// database, inside authorize() (lib/server/sign-in.ts), so the limit also covers direct POSTs to
// /api/auth/callback/credentials.
import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";

import { resolveAuthSecret } from "@/lib/server/auth-secret";
import {
  claimsAtSignIn,
  revokeSessions,
  sessionEndsAt,
  sessionStillValid,
} from "@/lib/server/session-tokens";
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
  callbacks: {
    ...authConfig.callbacks,
    // Every session lookup (pages, APIs, /api/auth/session) checks the token against the database:
    // past its lifetime from sign-in, or issued before the user's last sign-out → no session.
    async jwt({ token, user }) {
      if (user?.id) return { ...token, ...(await claimsAtSignIn(user.id)) };
      return (await sessionStillValid(token)) ? token : null;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      if (typeof token.signedInAt === "number") {
        // the end of the session, not the refreshed cookie's
        (session as { expires: unknown }).expires = sessionEndsAt(token.signedInAt).toISOString();
      }
      return session;
    },
  },
  events: {
    async signOut(message) {
      const sub = "token" in message ? message.token?.sub : undefined;
      if (sub) await revokeSessions(sub);
    },
  },
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
