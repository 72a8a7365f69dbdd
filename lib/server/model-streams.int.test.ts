// A completed run queues model jobs; the worker makes the model learn that run's exact
// curriculum and stores a full, provenance-stamped stream. Browser-posted streams are checked
// against the curriculum before anything is stored.
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema } from "@/lib/core/study-config";

import { getDb } from "./db";
import { jobHandlers } from "./job-handlers";
import { runNextJob } from "./job-runner";
import { computeModelStream, modelSeedFor, storeBrowserModelStream } from "./model-streams";
import { completeRun, createOrResumeRun } from "./runs";

const config = studyConfigSchema.parse({ blocks: 3, trialsPerBlock: 8, practice: { trials: 0 } });

async function completedRun(slug: string) {
  const db = getDb();
  const owner = await db.user.create({ data: { email: `${slug}@t`, passwordHash: "x" } });
  await db.study.create({ data: { slug, title: slug, ownerId: owner.id, config, status: "open" } });
  const entry = await createOrResumeRun(slug, {});
  if (entry.kind !== "run") throw new Error("no run");
  const run = await db.run.findUniqueOrThrow({ where: { token: entry.token } });
  const c = curriculumSchema.parse(run.curriculum);
  await db.trial.createMany({
    data: c.trials.map((t) => ({
      ...t,
      runId: run.id,
      response: t.correctResponse,
      correct: true,
      rtMs: 500,
    })),
  });
  await completeRun(entry.token);
  return run;
}

describe("model streams", () => {
  it("learns a completed run's curriculum in a job and stores both presets with provenance", async () => {
    const run = await completedRun("ms-1");
    expect(await runNextJob(jobHandlers)).toBe(true);
    expect(await runNextJob(jobHandlers)).toBe(true);
    expect(await runNextJob(jobHandlers)).toBe(false);
    const jobs = await getDb().job.findMany({ where: { runId: run.id } });
    expect(jobs.map((j) => j.status)).toEqual(["done", "done"]);
    const streams = await getDb().modelRun.findMany({
      where: { runId: run.id },
      include: { trials: { orderBy: { trialIndex: "asc" } } },
    });
    expect(streams.map((s) => s.preset).sort()).toEqual(["flexible", "forgetful"]);
    const c = curriculumSchema.parse(run.curriculum);
    for (const s of streams) {
      expect(s.status).toBe("done");
      expect(s.source).toBe("server");
      expect(s.seed).toBe(modelSeedFor(run.seed, s.preset as "flexible" | "forgetful"));
      expect(s.codeVersion).toMatch(/^\d+\.\d+\.\d+\+/);
      expect(s.trials.map((t) => [t.trialIndex, t.stimulus, t.task])).toEqual(
        c.trials.map((t) => [t.trialIndex, t.stimulus, t.task]),
      );
      expect(s.trials.every((t) => t.gates.length === 2 && Number.isFinite(t.loss))).toBe(true);
    }
  });

  it("is reproducible from the stored seed", async () => {
    const run = await completedRun("ms-2");
    const a = await computeModelStream(run.curriculum, "flexible", 7);
    const b = await computeModelStream(run.curriculum, "flexible", 7);
    expect(b.map((r) => r.output)).toEqual(a.map((r) => r.output));
  });

  it("stores a browser stream only when it matches the curriculum", async () => {
    const run = await completedRun("ms-3");
    const records = await computeModelStream(run.curriculum, "forgetful", 3);
    const wrong = records.map((r, i) =>
      i === 5 ? { ...r, stimulus: r.stimulus === "1" ? "2" : "1" } : r,
    );
    await expect(
      storeBrowserModelStream(run, "participant_browser", {
        preset: "forgetful",
        seed: 3,
        trials: wrong,
      }),
    ).rejects.toThrow(/does not match/);
    await expect(
      storeBrowserModelStream(run, "participant_browser", {
        preset: "forgetful",
        seed: 3,
        trials: records.slice(1),
      }),
    ).rejects.toThrow(/all 24/);
    expect(
      await getDb().modelRun.count({ where: { runId: run.id, source: "participant_browser" } }),
    ).toBe(0);
    const stored = await storeBrowserModelStream(run, "participant_browser", {
      preset: "forgetful",
      seed: 3,
      trials: records,
    });
    expect(stored.status).toBe("done");
    expect(await getDb().modelTrial.count({ where: { modelRunId: stored.id } })).toBe(24);
    const again = await storeBrowserModelStream(run, "participant_browser", {
      preset: "forgetful",
      seed: 3,
      trials: records,
    });
    expect(again.id).toBe(stored.id);
    expect(await getDb().modelTrial.count({ where: { modelRunId: stored.id } })).toBe(24);
  });
});
