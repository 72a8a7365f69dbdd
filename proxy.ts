// Next 16 proxy (formerly middleware), in front of every page and every researcher API:
// - pages get a Content-Security-Policy with a fresh nonce (Next.js puts it on its own inline
//   scripts; app/layout.tsx renders per request so that it can), and HSTS when served over TLS;
// - state-changing API requests from another site are refused (403) before any handler runs;
// - signed-out visitors of researcher pages are redirected to /login?callbackUrl=… (pages and
//   APIs check ownership themselves; this is only the first gate). Next.js makes a redirect to the
//   request's own host relative, so its Location never names the Host header's origin.
import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";

import { resolveAuthSecret } from "@/lib/server/auth-secret";
import { crossSiteRefusal, servedOverTls } from "@/lib/server/request-origin";

import { authConfig, isResearcherPath } from "./auth.config";
import { contentSecurityPolicy } from "./next.config.js";

const guard = NextAuth({ ...authConfig, secret: resolveAuthSecret() }).auth as unknown as (
  req: NextRequest,
  ev: NextFetchEvent,
) => Promise<Response>;

/** Two years, the preload list's minimum; only sent over TLS. */
export const HSTS = "max-age=63072000; includeSubDomains";

export default async function proxy(req: NextRequest, ev: NextFetchEvent) {
  const { pathname } = req.nextUrl;
  if (pathname.startsWith("/api/")) {
    const refusal = crossSiteRefusal(req.method, req.headers);
    if (refusal) return NextResponse.json({ error: refusal }, { status: 403 });
    return withTls(req, NextResponse.next());
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(req.headers);
  headers.set("content-security-policy", csp);
  let res: Response = NextResponse.next({ request: { headers } });
  // Only page visits are guarded here. Anything else under /studies is a server action (with or
  // without JavaScript, so not always marked by a Next-Action header), and every action checks
  // the session itself.
  if (isResearcherPath(pathname) && (req.method === "GET" || req.method === "HEAD")) {
    const decided = await guard(req, ev);
    // The guard decides; it never writes the session cookie. Auth.js re-issues the cookie on every
    // request it guards (a rolling expiry), so a page load or link prefetch still in flight when
    // the researcher signed out put the cookie back afterwards and undid the sign-out (a flaky e2e
    // test showed it).
    decided.headers.delete("set-cookie");
    if (decided.headers.has("location")) res = decided;
    else res = NextResponse.next({ request: { headers } });
  }
  res.headers.set("content-security-policy", csp);
  return withTls(req, res);
}

function withTls(req: NextRequest, res: Response) {
  if (servedOverTls(req.headers)) res.headers.set("strict-transport-security", HSTS);
  return res;
}

export const config = {
  // Everything but the participant API (token-authorised, no cookies: nothing to forge) and the
  // build's static files.
  matcher: ["/((?!api/runs/|_next/static|_next/image|favicon.ico).*)"],
};
