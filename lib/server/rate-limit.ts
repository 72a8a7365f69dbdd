// Fixed-window rate limits kept in the database (RateLimit table), so every app instance sees the
// same counters (docs/ARCHITECTURE.md §5: no state in memory that two instances would disagree on).
import "server-only";

import { getDb } from "./db";

/** The longest window a limit may use. Counters idle for longer are expired for every limit. */
export const MAX_WINDOW_MS = 24 * 60 * 60_000;
/** Expired counters are swept from the hit path at most this often per process, at most
 * SWEEP_BATCH rows at a time, so the RateLimit table stays bounded without a separate job. */
export const SWEEP_EVERY_MS = 60_000;
export const SWEEP_BATCH = 1000;
let lastSweepAt: number | undefined;

export type RateLimitResult = {
  /** False once this hit is beyond `limit` in the current window. */
  allowed: boolean;
  /** Hits counted in the current window, this one included. */
  count: number;
  remaining: number;
  /** When the current window ends and the counter starts again from zero. */
  resetAt: Date;
};

/**
 * Count one hit on `key` and say whether it is within `limit` hits per `windowMs`.
 * One INSERT … ON CONFLICT … RETURNING statement, so concurrent hits from several instances
 * are serialised by PostgreSQL's row lock and none is lost or double-counted. A window that has
 * expired is restarted inside the same statement.
 */
export async function hitRateLimit(
  key: string,
  limit: number,
  windowMs: number,
  now = new Date(),
): Promise<RateLimitResult> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`limit must be a positive integer, got ${limit}`);
  if (!(windowMs > 0 && windowMs <= MAX_WINDOW_MS))
    throw new Error(`windowMs must be in (0, ${MAX_WINDOW_MS}], got ${windowMs}`);
  const expiredBefore = new Date(now.getTime() - windowMs);
  const rows = await getDb().$queryRaw<{ count: number; windowStart: Date }[]>`
    INSERT INTO "RateLimit" ("key", "count", "windowStart")
    VALUES (${key}, 1, ${now})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" <= ${expiredBefore} THEN 1 ELSE "RateLimit"."count" + 1 END,
      "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ${expiredBefore} THEN ${now} ELSE "RateLimit"."windowStart" END
    RETURNING "count", "windowStart"`;
  const { count, windowStart } = rows[0];
  if (lastSweepAt === undefined || Math.abs(now.getTime() - lastSweepAt) >= SWEEP_EVERY_MS) {
    lastSweepAt = now.getTime();
    await deleteExpiredRateLimits(new Date(now.getTime() - MAX_WINDOW_MS)).catch((err: unknown) =>
      console.error("[rate-limit] sweeping expired counters failed", err),
    );
  }
  return {
    allowed: count <= limit,
    count,
    remaining: Math.max(0, limit - count),
    resetAt: new Date(new Date(windowStart).getTime() + windowMs),
  };
}

/** Delete up to `batch` counters whose window started before `olderThan`; returns how many. */
export async function deleteExpiredRateLimits(olderThan: Date, batch = SWEEP_BATCH) {
  return getDb().$executeRaw`
    DELETE FROM "RateLimit" WHERE "key" IN (
      SELECT "key" FROM "RateLimit" WHERE "windowStart" < ${olderThan} LIMIT ${batch}
    )`;
}

/**
 * The client address for rate-limit keys. The http guard (lib/server/http-guard.ts) replaces
 * X-Forwarded-For with the one address it trusts (the socket's, or the client's as reported by
 * the TRUST_PROXY hops), so a client cannot choose its own key; the last hop is taken in case
 * something in between appended to it.
 */
export function clientIpFrom(headers: Headers): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  return (hops.at(-1) ?? headers.get("x-real-ip") ?? "unknown").slice(0, 64);
}

/** Forget a key's counter (e.g. after a successful sign-in, so typos earlier do not linger). */
export async function resetRateLimit(key: string) {
  await getDb().rateLimit.deleteMany({ where: { key } });
}
