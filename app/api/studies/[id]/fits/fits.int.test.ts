// The fits API against a real, migrated database. Only the Auth.js session lookup (`auth()` from
// @/auth) is mocked; ownership, validation, queueing and the job all run for real.
import { vi } from "vitest";

import { GET, POST } from "@/app/api/studies/[id]/fits/route";
import { fitJobSchema, fitQueuedSchema } from "@/lib/core/api-responses";
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getDb } from "@/lib/server/db";
import { jobHandlers } from "@/lib/server/job-handlers";
import { runNextJob } from "@/lib/server/job-runner";
import { completeRun, createOrResumeRun } from "@/lib/server/runs";

import { signInAs } from "@/lib/server/testing/sign-in-as";

vi.mock("@/auth", () => ({ auth: vi.fn() }));
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const post = (id: string, body?: unknown) =>
  POST(
    new Request(`http://test/api/studies/${id}/fits`, {
      method: "POST",
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
    ctx(id),
  );
const get = (id: string, q = "") =>
  GET(new Request(`http://test/api/studies/${id}/fits${q}`), ctx(id));

async function study(slug: string, complete: boolean) {
  const db = getDb();
  const owner = await db.user.create({ data: { email: `${slug}@t`, passwordHash: "x" } });
  const config = studyConfigSchema.parse({ blocks: 3, trialsPerBlock: 8, practice: { trials: 0 } });
  const s = await db.study.create({
    data: { slug, title: slug, ownerId: owner.id, config, status: "open" },
  });
  const entry = await createOrResumeRun(slug, {});
  if (entry.kind !== "run") throw new Error("no run");
  const run = await db.run.findUniqueOrThrow({ where: { token: entry.token } });
  if (complete) {
    const c = curriculumSchema.parse(run.curriculum);
    await db.trial.createMany({
      data: c.trials.map((t, i) => ({
        ...t,
        runId: run.id,
        response: i % 5 === 0 ? c.keys.left : t.correctResponse,
        correct: true,
        rtMs: 500,
      })),
    });
    await completeRun(entry.token);
  }
  return { owner, study: s, run };
}

describe("/api/studies/[id]/fits", () => {
  it("queues a fit job for the owner (202), and GET reports its progress, the fits, the comparison and the PPC", async () => {
    const { owner, study: s, run } = await study("fits-api-1", true);
    signInAs(owner.id);
    const res = await post(s.id, { runId: run.id });
    expect(res.status).toBe(202);
    const { job } = fitQueuedSchema.parse(await res.json()); // the shape the fit panel parses
    expect(job).toEqual({ id: job.id, status: "queued", runId: run.id });
    let body = (await (await get(s.id)).json()) as {
      jobs: unknown[];
      fits: unknown[];
    };
    const jobs = body.jobs.map((j) => fitJobSchema.parse(j));
    expect(jobs.map((j) => [j.id, j.status, j.runId])).toEqual([[job.id, "queued", run.id]]);
    expect(body.fits).toEqual([]);
    expect(await runNextJob({ fit: jobHandlers.fit })).toBe(true);
    const withPpc = (await (await get(s.id, `?runId=${run.id}`)).json()) as {
      jobs: { status: string }[];
      fits: { model: string }[];
      comparisons: Record<string, { bic: Record<string, number>; verdict: string }>;
      ppc: { curves: unknown[] };
    };
    expect(withPpc.jobs[0].status).toBe("done");
    const models = ["chance", "flexible", "forgetful", "ruleConstant", "rulePractice"];
    expect(withPpc.fits.map((f) => f.model).sort()).toEqual(models);
    expect(Object.keys(withPpc.comparisons[run.id].bic).sort()).toEqual(models);
    expect(withPpc.ppc.curves.length).toBeGreaterThan(0);
    body = (await (await get(s.id)).json()) as typeof body;
    expect(body.fits).toHaveLength(5);
  });

  it("answers 401 signed out, 404 to a stranger, 422 for bad bodies or unfinished runs, and queues nothing", async () => {
    const { owner, study: s, run } = await study("fits-api-2", false);
    const stranger = await getDb().user.create({
      data: { email: "stranger-fits@t", passwordHash: "x" },
    });
    signInAs(null);
    expect((await post(s.id, {})).status).toBe(401);
    expect((await get(s.id)).status).toBe(401);
    signInAs(stranger.id);
    expect((await post(s.id, { runId: run.id })).status).toBe(404);
    expect((await get(s.id)).status).toBe(404);
    signInAs(owner.id);
    expect((await post(s.id, { runId: 42 })).status).toBe(422);
    expect((await post(s.id, { runId: run.id, extra: 1 })).status).toBe(422);
    expect((await post(s.id, { runId: "nope" })).status).toBe(404);
    expect((await post(s.id, { runId: run.id })).status).toBe(422); // not completed
    expect((await post(s.id)).status).toBe(422); // no completed runs in the study
    expect(await getDb().job.count({ where: { kind: "fit", studyId: s.id } })).toBe(0);
  });
});
