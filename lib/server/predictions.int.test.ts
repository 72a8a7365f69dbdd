// Predictions before data: the prediction job runs both presets on every condition's curricula
// in the compute pool and stores one row per (condition, preset) with its seeds; a settings change
// makes them stale until the job it queues replaces them.
import { addTrial, emptySums, predictionPlan, type PredictedSums } from "@/lib/core/predictions";
import { studyConfigSchema, type StudyConfigInput } from "@/lib/core/study-config";

import { getDb } from "./db";
import { jobHandlers } from "./job-handlers";
import { closeComputePool } from "./job-pool";
import { claimNextJob, runNextJob } from "./job-runner";
import { enqueueJob } from "./jobs";
import { computeModelStream } from "./model-streams";
import {
  enqueuePredictions,
  fetchPredictionState,
  fetchPredictions,
  predictionHash,
} from "./predictions";
import { makeTestStudy } from "./testing/study-fixtures";

// two conditions with the same total (48 trials): blocks of 4 vs blocks of 16
const design: StudyConfigInput = {
  blocks: 12,
  trialsPerBlock: 4,
  practice: { trials: 0 },
  conditions: [{ name: "short" }, { name: "long", blocks: 3, trialsPerBlock: 16 }],
};
const size = { participants: 3, modelSeeds: 2 };

afterAll(() => closeComputePool());

describe("predictions", () => {
  it("stores predicted curves per condition and preset, with their seeds, before any participant", async () => {
    const study = await makeTestStudy("pred-1", "draft", design);
    const queued = await enqueuePredictions(study, size);
    expect(queued?.created).toBe(true);
    expect(await fetchPredictionState(study)).toMatchObject({
      state: "none",
      job: { status: "queued" },
    });
    expect(await runNextJob(jobHandlers)).toBe(true);
    const job = await getDb().job.findUniqueOrThrow({ where: { id: queued!.job.id } });
    expect(job.status).toBe("done");
    expect(job.result).toEqual({ stored: 4, conditions: 2 });

    const rows = await getDb().prediction.findMany({
      where: { studyId: study.id },
      orderBy: [{ condition: "desc" }, { preset: "asc" }],
    });
    const config = studyConfigSchema.parse(study.config);
    const plan = predictionPlan(config, 3);
    expect(rows.map((r) => [r.condition, r.preset])).toEqual([
      ["short", "flexible"],
      ["short", "forgetful"],
      ["long", "flexible"],
      ["long", "forgetful"],
    ]);
    for (const r of rows) {
      expect(r.inputsHash).toBe(predictionHash(config, size));
      expect([r.participants, r.modelSeeds]).toEqual([3, 2]);
      const sums = r.sums as unknown as PredictedSums[];
      const c = plan.find((p) => p.condition === r.condition)!;
      expect(sums.map((s) => [s.participantSeed, s.modelSeed])).toEqual(
        c.participants.map((p) => [p.participantSeed, p.modelSeed]),
      );
      // every main trial of every model seed is in the sums
      for (const s of sums) expect(s.n.reduce((a, b) => a + b, 0)).toBe(48 * 2);
    }
    expect(await getDb().run.count({ where: { studyId: study.id } })).toBe(0);

    const predicted = await fetchPredictions(study);
    expect(predicted.map((p) => [p.condition, p.design])).toEqual([
      ["short", { blocks: 12, trialsPerBlock: 4 }],
      ["long", { blocks: 3, trialsPerBlock: 16 }],
    ]);
    for (const p of predicted) {
      expect(p.presets.flexible.streams).toBe(6);
      expect(p.presets.forgetful.intervals.units).toBe(3);
      expect(p.presets.flexible.trend.perSwitch).toHaveLength(p.design.blocks - 1);
      expect(p.presets.flexible.switchCost.loss).not.toBeNull();
    }
  });

  it("predicts what the model does on a participant's curriculum (model seed 0 = the server's stream from that seed, float64 vs float32)", async () => {
    const study = await makeTestStudy("pred-2", "draft", { ...design, conditions: [] });
    await enqueuePredictions(study, { participants: 2, modelSeeds: 1 });
    expect(await runNextJob(jobHandlers)).toBe(true);
    const row = await getDb().prediction.findFirstOrThrow({
      where: { studyId: study.id, preset: "forgetful" },
    });
    expect(row.condition).toBe("");
    const stored = (row.sums as unknown as PredictedSums[])[1];
    const p = predictionPlan(studyConfigSchema.parse(study.config), 2)[0].participants[1];
    const records = await computeModelStream(p.curriculum, "forgetful", p.modelSeed);
    const expected = emptySums(p, p.curriculum.trials, 1);
    records.forEach((r) => addTrial(expected, r, r.correct, r.loss!));
    expect(stored.n).toEqual(expected.n);
    expect(stored.e).toEqual(expected.e);
    stored.l.forEach((l, i) => expect(l).toBeCloseTo(expected.l[i], 5));
  });

  it("goes stale when the design changes and is queued again; unchanged settings queue nothing", async () => {
    const study = await makeTestStudy("pred-3", "draft", design);
    await enqueuePredictions(study, size);
    await runNextJob(jobHandlers);
    expect((await fetchPredictionState(study)).state).toBe("current");
    expect(await enqueuePredictions(study, size)).toBeNull();
    // recruitment settings do not touch the prediction
    const recruit = studyConfigSchema.parse({ ...design, recruitment: { completionCode: "C1" } });
    expect((await fetchPredictionState({ ...study, config: recruit })).state).toBe("current");
    const edited = studyConfigSchema.parse({
      ...design,
      conditions: [{ name: "short" }, { name: "long", blocks: 2, trialsPerBlock: 24 }],
    });
    const updated = await getDb().study.update({
      where: { id: study.id },
      data: { config: edited },
    });
    expect((await fetchPredictionState(updated)).state).toBe("stale");
    expect(await fetchPredictions(updated)).toEqual([]);
    const again = await enqueuePredictions(updated, size);
    expect(again?.created).toBe(true);
    expect(await runNextJob(jobHandlers)).toBe(true);
    const predicted = await fetchPredictions(updated);
    expect(predicted.map((p) => p.design)).toEqual([
      { blocks: 12, trialsPerBlock: 4 },
      { blocks: 2, trialsPerBlock: 24 },
    ]);
    expect(await getDb().prediction.count({ where: { studyId: study.id } })).toBe(4);
  });

  it("waits while participants' jobs are queued", async () => {
    const study = await makeTestStudy("pred-4", "draft", design);
    await enqueuePredictions(study, size);
    const later = await enqueueJob({ kind: "fit", key: "pred-4/fit", payload: {} });
    const claimed = await claimNextJob("w", ["prediction", "fit"]);
    expect(claimed?.id).toBe(later.job.id);
  });
});
