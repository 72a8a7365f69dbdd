// Fixed-window rate limits kept in the database (RateLimit table), so every app instance sees the
// same counters (docs/ARCHITECTURE.md §5: no state in memory that two instances would disagree on).
import "server-only";

import { getDb } from "./db";

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
  if (!(windowMs > 0)) throw new Error(`windowMs must be positive, got ${windowMs}`);
  const expiredBefore = new Date(now.getTime() - windowMs);
  const rows = await getDb().$queryRaw<{ count: number; windowStart: Date }[]>`
    INSERT INTO "RateLimit" ("key", "count", "windowStart")
    VALUES (${key}, 1, ${now})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" <= ${expiredBefore} THEN 1 ELSE "RateLimit"."count" + 1 END,
      "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ${expiredBefore} THEN ${now} ELSE "RateLimit"."windowStart" END
    RETURNING "count", "windowStart"`;
  const { count, windowStart } = rows[0];
  return {
    allowed: count <= limit,
    count,
    remaining: Math.max(0, limit - count),
    resetAt: new Date(new Date(windowStart).getTime() + windowMs),
  };
}

/** Delete counters whose window ended before `olderThan` (housekeeping; the table only grows otherwise). */
export async function deleteExpiredRateLimits(olderThan: Date) {
  const r = await getDb().rateLimit.deleteMany({ where: { windowStart: { lt: olderThan } } });
  return r.count;
}

/**
 * The client address for rate-limit keys: the last X-Forwarded-For hop (the one our own proxy or
 * Next.js appended; earlier hops are whatever the client claimed), else X-Real-IP, else "unknown".
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
