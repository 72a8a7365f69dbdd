// Fit jobs against a real, migrated database: a completed run is fitted by the "fit" job through the
// registered handler and the Fit rows carry provenance. The route (ownership) is tested in
// app/api/studies/[id]/fits/fits.int.test.ts.
import { fitsResponseSchema } from "@/lib/core/api-responses";
import { studyConfigSchema } from "@/lib/core/study-config";

import { curriculumSchema } from "@/lib/core/curriculum-schema";

import { getDb } from "./db";
import { enqueueFit, fetchFitPpc, fetchFits, fitSeedFor } from "./fits";
import { jobHandlers } from "./job-handlers";
import { runNextJob } from "./job-runner";
import { GROUP_MIN_MEMBERS } from "@/lib/model/fit/hierarchical";

import { completeRun, createOrResumeRun } from "./runs";
import { studyWithRun } from "./testing/study-run";

const config = studyConfigSchema.parse({ blocks: 4, trialsPerBlock: 8, practice: { trials: 0 } });
const fitOnly = { fit: jobHandlers.fit };

/** A completed run whose participant is right on 7 of 8 trials (RTs 420–800 ms) and misses trial 2. */
async function completedRun(slug: string) {
  const { owner, study, run, token, curriculum: c } = await studyWithRun(slug, config);
  await answer(run.id, token, c);
  return { owner, study, run, curriculum: c };
}

/** Store the answers of completedRun's participant (`shift` varies the response times) and complete the run. */
async function answer(
  runId: string,
  token: string,
  c: ReturnType<typeof curriculumSchema.parse>,
  shift = 0,
) {
  const db = getDb();
  const wrong = (k: string) => (k === c.keys.left ? c.keys.right : c.keys.left);
  await db.trial.createMany({
    data: c.trials.map((t, i) => {
      const err = i % 8 === 7;
      return {
        ...t,
        runId,
        response: i === 2 ? null : err ? wrong(t.correctResponse) : t.correctResponse,
        correct: i !== 2 && !err,
        rtMs: i === 2 ? null : 420 + ((i * (137 + 11 * shift)) % 380),
      };
    }),
  });
  await completeRun(token);
}

describe("fit jobs", () => {
  it("fits a completed run in a job and stores every model with provenance and the comparison", async () => {
    const { owner, study, run, curriculum } = await completedRun("fit-1");
    const job = await enqueueFit(owner.id, study.id, { runId: run.id });
    expect(await runNextJob(fitOnly)).toBe(true);
    expect(await runNextJob(fitOnly)).toBe(false);
    const done = await getDb().job.findUniqueOrThrow({ where: { id: job.id } });
    expect(done.status).toBe("done");
    expect(done.progress).toBe(1);
    const fits = await getDb().fit.findMany({
      where: { runId: run.id },
      orderBy: { model: "asc" },
    });
    expect(fits.map((f) => f.model)).toEqual([
      "chance",
      "flexible",
      "forgetful",
      "ruleConstant",
      "rulePractice",
    ]);
    const K_DDM = { flexible: 8, forgetful: 6, chance: 3, ruleConstant: 6, rulePractice: 7 };
    for (const f of fits) {
      expect(f.studyId).toBe(study.id);
      expect(f.jobId).toBe(job.id);
      expect(f.seed).toBe(fitSeedFor(run.seed));
      expect(f.codeVersion).toMatch(/^\d+\.\d+\.\d+\+/);
      // default link "ddm": keys and response times; the missed response scores the window (a term)
      expect(f.nTrials).toBe(curriculum.trials.length);
      expect(f.nParams).toBe(K_DDM[f.model as keyof typeof K_DDM]);
      expect((f.params as { link: string }).link).toBe("ddm");
      expect(f.bic).toBeCloseTo(f.nParams * Math.log(f.nTrials) - 2 * f.logLik, 6);
      const ddm = f.params as Record<string, number>;
      expect(ddm.ndt).toBeGreaterThan(0.05);
      expect(ddm.ndt).toBeLessThan(0.6); // below most responses (420–800 ms)
      const params = f.params as Record<string, number>;
      expect(params.beta).toBeGreaterThan(0);
    }
    // GET lists fits, job progress, each run's comparison and the study sums; with runId the PPC
    const body = await fetchFits(owner.id, study.id);
    expect(body.fits).toHaveLength(5);
    expect(body.jobs[0].status).toBe("done");
    expect(body.comparison!.participants).toBe(1);
    const c = body.comparisons[run.id]!;
    expect(Object.keys(c.bic).sort()).toEqual(fits.map((f) => f.model));
    expect(c.atChance).toBe(false); // 27 of 31 responses correct
    expect(["flexible", "forgetful", "misfit"]).toContain(c.verdict);
    const ppc = (await fetchFitPpc(owner.id, study.id, run.id))!;
    expect(ppc.observed.accuracy).toBeCloseTo(27 / 31, 9);
    expect(ppc.curves.length).toBeGreaterThan(0);
    expect(Object.keys(ppc.predicted).sort()).toEqual(fits.map((f) => f.model));
    // What the route sends, through JSON, is what the fit panel's schema accepts, unchanged.
    const wire = JSON.parse(JSON.stringify({ ...body, ppc }));
    expect(fitsResponseSchema.parse(wire)).toEqual(wire);
    expect(
      ppc.curves.every(
        (p) =>
          p.predicted.flexible === null || (p.predicted.flexible >= 0 && p.predicted.flexible <= 1),
      ),
    ).toBe(true);

    // the choice link on request: keys only, the miss skipped, 5 / 3 parameters; the rerun replaces the rows
    await enqueueFit(owner.id, study.id, { runId: run.id, link: "choice" });
    expect(await runNextJob(fitOnly)).toBe(true);
    const choiceFits = await getDb().fit.findMany({
      where: { runId: run.id },
      orderBy: { model: "asc" },
    });
    expect(
      choiceFits.map((f) => [f.model, f.nParams, f.nTrials, (f.params as { link: string }).link]),
    ).toEqual([
      ["chance", 1, curriculum.trials.length - 1, "choice"],
      ["flexible", 6, curriculum.trials.length - 1, "choice"],
      ["forgetful", 4, curriculum.trials.length - 1, "choice"],
      ["ruleConstant", 4, curriculum.trials.length - 1, "choice"],
      ["rulePractice", 5, curriculum.trials.length - 1, "choice"],
    ]);
    for (const f of choiceFits) expect(f.logLik).toBeLessThan(0);
    await expect(
      enqueueFit(owner.id, study.id, { runId: run.id, link: "probit" }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it("fits a whole study and stores per-run rows plus the study sums; a rerun replaces them", async () => {
    const { owner, study, run } = await completedRun("fit-2");
    for (let i = 0; i < 2; i++) {
      await enqueueFit(owner.id, study.id, {});
      expect(await runNextJob(fitOnly)).toBe(true);
    }
    const fits = await getDb().fit.findMany({ where: { studyId: study.id } });
    expect(fits).toHaveLength(10);
    const sums = fits.filter((f) => f.runId === null);
    const perRun = fits.filter((f) => f.runId === run.id);
    expect(sums.map((s) => s.model).sort()).toEqual(perRun.map((f) => f.model).sort());
    for (const s of sums)
      expect(s.bic).toBeCloseTo(perRun.find((f) => f.model === s.model)!.bic, 9);
    // one participant is no group: no group-informed estimates, no prior
    for (const f of fits) {
      expect((f.params as { groupInformed?: unknown }).groupInformed).toBeUndefined();
      expect((f.params as { groupPrior?: unknown }).groupPrior).toBeUndefined();
    }
  });

  it("a study fit of enough participants adds group-informed estimates to every NTA row and the prior to the sums", async () => {
    const { owner, study } = await completedRun("fit-group");
    for (let k = 1; k < GROUP_MIN_MEMBERS; k++) {
      const entry = await createOrResumeRun("fit-group", {});
      if (entry.kind !== "run") throw new Error("no run");
      const run = await getDb().run.findUniqueOrThrow({ where: { token: entry.token } });
      await answer(run.id, entry.token, curriculumSchema.parse(run.curriculum), k);
    }
    await enqueueFit(owner.id, study.id, { link: "choice" });
    // two runs fitted at once (the pool's thread count), their rows written one run at a time
    const before = process.env.NTA_COMPUTE_THREADS;
    process.env.NTA_COMPUTE_THREADS = "2";
    try {
      expect(await runNextJob(fitOnly)).toBe(true);
    } finally {
      if (before === undefined) delete process.env.NTA_COMPUTE_THREADS;
      else process.env.NTA_COMPUTE_THREADS = before;
    }
    const fits = await getDb().fit.findMany({ where: { studyId: study.id } });
    expect(fits).toHaveLength(5 * (GROUP_MIN_MEMBERS + 1)); // 5 models per run + the study sums
    const perRun = fits.filter((f) => f.runId !== null);
    expect(new Set(perRun.map((f) => f.runId)).size).toBe(GROUP_MIN_MEMBERS);
    const job = await getDb().job.findFirstOrThrow({ where: { studyId: study.id, kind: "fit" } });
    // every participant is in the group (none at chance)
    expect((job.result as { comparison: { excluded: unknown[] } }).comparison.excluded).toEqual([]);
    type Stored = {
      tauC?: number;
      tauW?: number;
      groupInformed?: {
        theta: Record<string, number>;
        quantities: Record<string, number>;
        n: number;
      };
      groupPrior?: {
        participants: number;
        mean: Record<string, number>;
        sdU: Record<string, number>;
      };
    };
    for (const f of perRun) {
      const p = f.params as Stored;
      if (f.model !== "flexible" && f.model !== "forgetful") {
        expect(p.groupInformed).toBeUndefined();
        continue;
      }
      expect(p.groupInformed!.n).toBe(GROUP_MIN_MEMBERS);
      if (f.model === "flexible") {
        const g = p.groupInformed!;
        expect(g.quantities.tauRatio).toBeCloseTo(g.theta.tauC / g.theta.tauW, 9);
        // the estimate lies in the parameter box
        expect(g.theta.tauC).toBeGreaterThanOrEqual(0.01);
        expect(g.theta.tauC).toBeLessThanOrEqual(2);
      }
    }
    const prior = fits.find((f) => f.runId === null && f.model === "flexible")!.params as Stored;
    expect(prior.groupPrior!.participants).toBe(GROUP_MIN_MEMBERS);
    expect(Object.keys(prior.groupPrior!.sdU)).toEqual(
      expect.arrayContaining(["tauW", "tauC", "lambda", "beta"]),
    );
  });
});
