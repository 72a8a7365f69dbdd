// hitRateLimit against a real database: fixed-window counting, window restart, key isolation,
// and no lost or double-counted hits under concurrency.
import { getDb } from "@/lib/server/db";
import { deleteExpiredRateLimits, hitRateLimit, MAX_WINDOW_MS } from "@/lib/server/rate-limit";

const MIN = 60_000;

describe("hitRateLimit", () => {
  it("allows `limit` hits in a window and refuses the next ones", async () => {
    const t0 = new Date("2026-01-01T10:00:00Z");
    const results = [];
    for (let i = 0; i < 5; i++)
      results.push(await hitRateLimit("seq", 3, 10 * MIN, new Date(t0.getTime() + i * 1000)));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4, 5]);
    expect(results[0].remaining).toBe(2);
    expect(results[4].remaining).toBe(0);
    expect(results[4].resetAt.toISOString()).toBe(new Date(t0.getTime() + 10 * MIN).toISOString());
  });

  it("starts a new window once the old one has passed", async () => {
    const t0 = new Date("2026-01-01T10:00:00Z");
    for (let i = 0; i < 4; i++) await hitRateLimit("window", 3, 10 * MIN, t0);
    expect(
      (await hitRateLimit("window", 3, 10 * MIN, new Date(t0.getTime() + 9 * MIN))).allowed,
    ).toBe(false);
    const later = await hitRateLimit("window", 3, 10 * MIN, new Date(t0.getTime() + 10 * MIN + 1));
    expect(later).toMatchObject({ allowed: true, count: 1 });
  });

  it("counts keys separately", async () => {
    const now = new Date();
    for (let i = 0; i < 3; i++) await hitRateLimit("a@x|1.2.3.4", 3, MIN, now);
    expect((await hitRateLimit("a@x|1.2.3.4", 3, MIN, now)).allowed).toBe(false);
    expect((await hitRateLimit("a@x|5.6.7.8", 3, MIN, now)).allowed).toBe(true);
  });

  it("counts every one of many concurrent hits exactly once", async () => {
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 40 }, () => hitRateLimit("burst", 10, MIN, now)),
    );
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    const row = await getDb().rateLimit.findUniqueOrThrow({ where: { key: "burst" } });
    expect(row.count).toBe(40);
  });

  it("rejects nonsense limits instead of silently allowing everything", async () => {
    await expect(hitRateLimit("bad", 0, MIN)).rejects.toThrow(/limit/);
    await expect(hitRateLimit("bad", 1, 0)).rejects.toThrow(/windowMs/);
  });

  it("deletes only counters whose window is over", async () => {
    const t0 = new Date("2026-01-01T10:00:00Z");
    await hitRateLimit("old", 3, MIN, t0);
    await hitRateLimit("new", 3, MIN, new Date(t0.getTime() + 60 * MIN));
    const deleted = await deleteExpiredRateLimits(new Date(t0.getTime() + 30 * MIN));
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await getDb().rateLimit.findUnique({ where: { key: "old" } })).toBeNull();
    expect(await getDb().rateLimit.findUnique({ where: { key: "new" } })).not.toBeNull();
    expect(await getDb().rateLimit.findUnique({ where: { key: "burst" } })).not.toBeNull();
  });

  it("sweeps counters idle for over a day from the hit path itself, in bounded batches", async () => {
    const t0 = new Date("2025-06-01T10:00:00Z");
    for (const key of ["idle-1", "idle-2", "idle-3"]) await hitRateLimit(key, 3, MIN, t0);
    const keys = async () =>
      (await getDb().rateLimit.findMany({ where: { key: { startsWith: "idle-" } } })).length;
    expect(await deleteExpiredRateLimits(new Date(t0.getTime() + 1), 2)).toBe(2);
    expect(await keys()).toBe(1);
    await hitRateLimit("idle-fresh", 3, MIN, new Date(t0.getTime() + MAX_WINDOW_MS + MIN));
    expect(await keys()).toBe(1); // only the fresh counter is left
    expect(await getDb().rateLimit.findUnique({ where: { key: "idle-fresh" } })).not.toBeNull();
  });

  it("refuses windows longer than the sweep keeps counters", async () => {
    await expect(hitRateLimit("long", 1, MAX_WINDOW_MS + 1)).rejects.toThrow(/windowMs/);
  });
});
