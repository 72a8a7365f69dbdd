// The participant-browser model stream endpoint: only for studies that enable it, validated
// against the run's curriculum, idempotent.
import { POST } from "@/app/api/runs/[token]/model-stream/route";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getDb } from "@/lib/server/db";
import { computeModelStream } from "@/lib/server/model-streams";
import { createOrResumeRun } from "@/lib/server/runs";

async function runFor(slug: string, runInParticipantBrowser: boolean) {
  const db = getDb();
  const owner = await db.user.create({ data: { email: `${slug}@t`, passwordHash: "x" } });
  const config = studyConfigSchema.parse({
    blocks: 2,
    trialsPerBlock: 8,
    practice: { trials: 0 },
    model: { runInParticipantBrowser },
  });
  await db.study.create({ data: { slug, title: slug, ownerId: owner.id, config, status: "open" } });
  const entry = await createOrResumeRun(slug, {});
  if (entry.kind !== "run") throw new Error("no run");
  return db.run.findUniqueOrThrow({ where: { token: entry.token } });
}

const post = (token: string, body: unknown) =>
  POST(new Request("http://test", { method: "POST", body: JSON.stringify(body) }), {
    params: Promise.resolve({ token }),
  });

describe("POST /api/runs/<token>/model-stream", () => {
  it("stores a stream from the participant's browser in chunks, idempotently, and marks it done when whole", async () => {
    const run = await runFor("pm-on", true);
    const trials = await computeModelStream(run.curriculum, "flexible", 11);
    const r1 = await post(run.token, { preset: "flexible", seed: 11, trials: trials.slice(0, 10) });
    expect(await r1.json()).toEqual({ saved: 10, duplicates: 0, stored: 10, expected: 16 });
    expect((await getDb().modelRun.findFirstOrThrow({ where: { runId: run.id } })).status).toBe(
      "running",
    );
    const r2 = await post(run.token, { preset: "flexible", seed: 11, trials: trials.slice(5) });
    expect(await r2.json()).toEqual({ saved: 6, duplicates: 5, stored: 16, expected: 16 });
    expect(
      (await post(run.token, { preset: "flexible", seed: 12, trials: trials.slice(0, 1) })).status,
    ).toBe(409);
    const streams = await getDb().modelRun.findMany({
      where: { runId: run.id },
      include: { _count: { select: { trials: true } } },
    });
    expect(streams).toHaveLength(1);
    expect(streams[0].source).toBe("participant_browser");
    expect(streams[0]._count.trials).toBe(16);
    expect(streams[0].status).toBe("done");
    expect(streams[0].seed).toBe(11);
  });

  it("refuses when the study does not enable it, and on a malformed stream", async () => {
    const off = await runFor("pm-off", false);
    const trials = await computeModelStream(off.curriculum, "flexible", 1);
    expect((await post(off.token, { preset: "flexible", seed: 1, trials })).status).toBe(403);
    const on = await runFor("pm-bad", true);
    expect(
      (await post(on.token, { preset: "flexible", seed: 1, trials: [{ nonsense: true }] })).status,
    ).toBe(422);
    expect((await post(on.token, { preset: "bogus", seed: 1, trials })).status).toBe(422);
    expect((await post("x".repeat(40), { preset: "flexible", seed: 1, trials })).status).toBe(404);
    expect(await getDb().modelRun.count({ where: { runId: { in: [off.id, on.id] } } })).toBe(0);
  });
});
