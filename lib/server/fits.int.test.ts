// Fit jobs against a real, migrated database: a completed run is fitted by the "fit" job through the
// registered handler, Fit rows carry provenance; the fits API is owner-only. Only the Auth.js
// session lookup (`auth()` from @/auth) is mocked.
import { vi } from "vitest";

import { GET as fitsGET, POST as fitsPOST } from "@/app/api/studies/[id]/fits/route";
import { auth } from "@/auth";
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema } from "@/lib/core/study-config";

import { getDb } from "./db";
import { fitSeedFor } from "./fits";
import { jobHandlers } from "./job-handlers";
import { runNextJob } from "./job-runner";
import { completeRun, createOrResumeRun } from "./runs";

vi.mock("@/auth", () => ({ auth: vi.fn() }));
type Session = { user: { id: string }; expires: string } | null;
const signInAs = (userId: string | null) =>
  (vi.mocked(auth) as unknown as { mockResolvedValue(v: Session): void }).mockResolvedValue(
    userId ? { user: { id: userId }, expires: new Date(Date.now() + 3_600_000).toISOString() } : null,
  );
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const post = (id: string, body?: unknown) =>
  fitsPOST(new Request(`http://test/api/studies/${id}/fits`, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body), headers: { "content-type": "application/json" } }), ctx(id));

const config = studyConfigSchema.parse({ blocks: 4, trialsPerBlock: 8, practice: { trials: 0 } });
const fitOnly = { fit: jobHandlers.fit };

/** A completed run whose participant is right on 3 of 4 trials and misses trial 2. */
async function completedRun(slug: string) {
  const db = getDb();
  const owner = await db.user.create({ data: { email: `${slug}@t`, passwordHash: "x" } });
  const study = await db.study.create({ data: { slug, title: slug, ownerId: owner.id, config, status: "open" } });
  const entry = await createOrResumeRun(slug, {});
  if (entry.kind !== "run") throw new Error("no run");
  const run = await db.run.findUniqueOrThrow({ where: { token: entry.token } });
  const c = curriculumSchema.parse(run.curriculum);
  const wrong = (k: string) => (k === c.keys.left ? c.keys.right : c.keys.left);
  await db.trial.createMany({
    data: c.trials.map((t, i) => ({
      ...t, runId: run.id,
      response: i === 2 ? null : i % 4 === 3 ? wrong(t.correctResponse) : t.correctResponse,
      correct: i !== 2 && i % 4 !== 3, rtMs: i === 2 ? null : 500,
    })),
  });
  await completeRun(entry.token);
  return { owner, study, run, curriculum: c };
}

describe("fit jobs", () => {
  it("fits a completed run in a job and stores both models with provenance", async () => {
    const { owner, study, run, curriculum } = await completedRun("fit-1");
    signInAs(owner.id);
    const res = await post(study.id, { runId: run.id });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { id: string } };
    expect(await runNextJob(fitOnly)).toBe(true);
    expect(await runNextJob(fitOnly)).toBe(false);
    const done = await getDb().job.findUniqueOrThrow({ where: { id: job.id } });
    expect(done.status).toBe("done");
    expect(done.progress).toBe(1);
    const fits = await getDb().fit.findMany({ where: { runId: run.id }, orderBy: { model: "asc" } });
    expect(fits.map((f) => f.model)).toEqual(["flexible", "forgetful"]);
    for (const f of fits) {
      expect(f.studyId).toBe(study.id);
      expect(f.jobId).toBe(job.id);
      expect(f.seed).toBe(fitSeedFor(run.seed));
      expect(f.codeVersion).toMatch(/^\d+\.\d+\.\d+\+/);
      expect(f.nTrials).toBe(curriculum.trials.length - 1); // the missed response is skipped
      expect(f.nParams).toBe(f.model === "flexible" ? 5 : 3);
      expect(f.logLik).toBeLessThan(0);
      expect(f.bic).toBeCloseTo(f.nParams * Math.log(f.nTrials) - 2 * f.logLik, 6);
      const params = f.params as Record<string, number>;
      expect(params.beta).toBeGreaterThan(0);
      expect(f.model === "flexible" ? params.tauC : params.tau).toBeGreaterThan(0);
    }
    // GET lists fits, job progress and the comparison; with runId it adds the recovery curves
    const list = await fitsGET(new Request(`http://test/api/studies/${study.id}/fits?runId=${run.id}`), ctx(study.id));
    const body = (await list.json()) as { fits: unknown[]; jobs: { status: string }[]; comparison: { participants: number }; curves: { position: number; observed: number | null; predicted: Record<string, number> }[] };
    expect(body.fits).toHaveLength(2);
    expect(body.jobs[0].status).toBe("done");
    expect(body.comparison.participants).toBe(1);
    expect(body.curves.length).toBeGreaterThan(0);
    expect(Object.keys(body.curves[0].predicted).sort()).toEqual(["flexible", "forgetful"]);
  });

  it("fits a whole study and stores per-run rows plus the study sums; a rerun replaces them", async () => {
    const { owner, study, run } = await completedRun("fit-2");
    signInAs(owner.id);
    for (let i = 0; i < 2; i++) {
      expect((await post(study.id)).status).toBe(202);
      expect(await runNextJob(fitOnly)).toBe(true);
    }
    const fits = await getDb().fit.findMany({ where: { studyId: study.id } });
    expect(fits).toHaveLength(4);
    const sums = fits.filter((f) => f.runId === null);
    const perRun = fits.filter((f) => f.runId === run.id);
    expect(sums.map((s) => s.model).sort()).toEqual(["flexible", "forgetful"]);
    for (const s of sums) expect(s.bic).toBeCloseTo(perRun.find((f) => f.model === s.model)!.bic, 9);
  });

  it("is owner-only and validates the request", async () => {
    const { study, run } = await completedRun("fit-3");
    const stranger = await getDb().user.create({ data: { email: "stranger@t", passwordHash: "x" } });
    signInAs(null);
    expect((await post(study.id, {})).status).toBe(401);
    signInAs(stranger.id);
    expect((await post(study.id, { runId: run.id })).status).toBe(404);
    expect((await fitsGET(new Request(`http://test/api/studies/${study.id}/fits`), ctx(study.id))).status).toBe(404);
    signInAs(study.ownerId);
    expect((await post(study.id, { runId: 42 })).status).toBe(422);
    expect((await post(study.id, { runId: "nope" })).status).toBe(404);
    expect(await getDb().job.count({ where: { kind: "fit", studyId: study.id } })).toBe(0);
  });
});
