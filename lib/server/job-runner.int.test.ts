// The job queue on a real database: claims are exclusive, progress and results are written
// back (retries with backoff: job-queue.int.test.ts), and a job left "running" by a dead worker is picked up again.
import { getDb } from "./db";
import { claimNextJob, runNextJob, STALE_LOCK_MS } from "./job-runner";

async function queue(kind: string, payload: object = {}) {
  return getDb().job.create({ data: { kind, payload } });
}

describe("job runner", () => {
  it("runs a job, records progress and the result", async () => {
    const job = await queue("echo", { x: 2 });
    const seen: number[] = [];
    const ran = await runNextJob({
      echo: async (j, ctx) => {
        await ctx.progress(0.5, "half");
        seen.push((await getDb().job.findUniqueOrThrow({ where: { id: j.id } })).progress);
        return { doubled: (j.payload as { x: number }).x * 2 };
      },
    });
    expect(ran).toBe(true);
    expect(seen).toEqual([0.5]);
    const done = await getDb().job.findUniqueOrThrow({ where: { id: job.id } });
    expect(done.status).toBe("done");
    expect(done.result).toEqual({ doubled: 4 });
    expect(done.progress).toBe(1);
    expect(await runNextJob({ echo: async () => null })).toBe(false);
  });

  it("never hands the same job to two concurrent claimers", async () => {
    const ids = await Promise.all(
      Array.from({ length: 6 }, () => queue("claim").then((j) => j.id)),
    );
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => claimNextJob(`w${i}`, ["claim"])),
    );
    const claimed = claims.filter((c) => c !== null).map((c) => c!.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual([...ids].sort());
  });

  it("picks up a job whose worker died once its lock is stale", async () => {
    const job = await queue("orphan");
    expect((await claimNextJob("dead-worker", ["orphan"]))?.id).toBe(job.id);
    expect(await claimNextJob("other", ["orphan"])).toBeNull();
    const later = new Date(Date.now() + STALE_LOCK_MS + 1000);
    const reclaimed = await claimNextJob("other", ["orphan"], later);
    expect(reclaimed?.id).toBe(job.id);
    expect(reclaimed?.attempts).toBe(2);
  });
});
