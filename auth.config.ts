// Auth.js v5 configuration shared by proxy.ts and auth.ts. No providers, bcrypt or database here,
// so the proxy stays light; the secret is supplied where NextAuth() is instantiated (Node only).
import type { NextAuthConfig } from "next-auth";

/** Researcher pages: everything under /studies needs a signed-in researcher. (/paper guards
 * itself: through the proxy its callbackUrl would be absolute.) */
export function isResearcherPath(pathname: string) {
  return pathname === "/studies" || pathname.startsWith("/studies/");
}

export const authConfig = {
  pages: { signIn: "/login" },
  // Credentials sign-in only supports JWT sessions. The cookie's own lifetime; auth.ts ends a
  // session SESSION_MAX_AGE_S after sign-in however often it is refreshed, and at sign-out.
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  // Self-hosted (`npm run demo`, `npm run start` behind the lab's own proxy): trust the Host header so
  // the demo works without AUTH_URL. Redirect targets are our own paths (see safeCallbackPath).
  trustHost: true,
  callbacks: {
    /** Proxy guard: signed-out visitors of researcher pages go to /login?callbackUrl=…. */
    authorized({ auth, request }) {
      if (isResearcherPath(request.nextUrl.pathname)) return Boolean(auth?.user?.id);
      return true;
    },
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
  providers: [],
} satisfies NextAuthConfig;
