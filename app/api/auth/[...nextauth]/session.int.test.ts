// Researcher sessions through Auth.js's real /api/auth/session handler and a real database: a
// token ends SESSION_MAX_AGE_S after sign-in however often it is refreshed, and at the user's
// sign-out (a copied cookie included). The sign-out button's wiring is proven in e2e.
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";

import { handlers } from "@/auth";

import { resolveAuthSecret } from "@/lib/server/auth-secret";
import { getDb } from "@/lib/server/db";
import { claimsAtSignIn, revokeSessions, SESSION_MAX_AGE_S } from "@/lib/server/session-tokens";

const COOKIE = "authjs.session-token";

async function cookieFor(claims: Record<string, unknown>) {
  const token = await encode({
    token: { email: "s@lab.test", ...claims },
    secret: resolveAuthSecret(),
    salt: COOKIE,
  });
  return `${COOKIE}=${token}`;
}

async function session(cookie: string) {
  const res = await handlers.GET(
    new NextRequest("http://localhost/api/auth/session", { headers: { cookie } }),
  );
  return { body: await res.json(), setCookie: res.headers.get("set-cookie") ?? "" };
}

describe("researcher sessions", () => {
  it("end at the lifetime counted from sign-in, and /api/auth/session does not extend it", async () => {
    const user = await getDb().user.create({ data: { email: "s@lab.test", passwordHash: "x" } });
    const now = Math.floor(Date.now() / 1000);
    const fresh = await cookieFor(await claimsAtSignIn(user.id, now - 60));
    const live = await session(fresh);
    expect(live.body.user.id).toBe(user.id);
    expect(new Date(live.body.expires).getTime()).toBe((now - 60 + SESSION_MAX_AGE_S) * 1000);

    const old = await cookieFor(await claimsAtSignIn(user.id, now - SESSION_MAX_AGE_S - 1));
    const expired = await session(old);
    expect(expired.body).toBeNull();
    expect(expired.setCookie).toMatch(new RegExp(`${COOKIE}=;`));
  });

  it("end for every copy of the cookie once the researcher signs out", async () => {
    const user = await getDb().user.create({ data: { email: "r@lab.test", passwordHash: "x" } });
    const other = await getDb().user.create({ data: { email: "o@lab.test", passwordHash: "x" } });
    const copied = await cookieFor(await claimsAtSignIn(user.id));
    const bystander = await cookieFor(await claimsAtSignIn(other.id));
    expect((await session(copied)).body.user.id).toBe(user.id);
    await revokeSessions(user.id);
    expect((await session(copied)).body).toBeNull();
    expect((await session(bystander)).body.user.id).toBe(other.id);
    // signing in again works
    expect((await session(await cookieFor(await claimsAtSignIn(user.id)))).body.user.id).toBe(
      user.id,
    );
  });

  it("refuses a token without the sign-in claims (issued before this check existed)", async () => {
    const user = await getDb().user.create({ data: { email: "l@lab.test", passwordHash: "x" } });
    expect((await session(await cookieFor({ sub: user.id }))).body).toBeNull();
  });
});
