// Dashboard APIs against a real, migrated database: model-stream job queueing and progress, and
// researcher-browser stream uploads. Only the Auth.js session lookup (`auth()`) is mocked.
import { vi } from "vitest";

import { GET as jobsGET, POST as jobsPOST } from "@/app/api/studies/[id]/jobs/route";
import { POST as streamPOST } from "@/app/api/studies/[id]/runs/[runId]/model-streams/route";
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getDb } from "@/lib/server/db";
import { jobHandlers } from "@/lib/server/job-handlers";
import { runNextJob } from "@/lib/server/job-runner";
import { computeModelStream, modelSeedFor } from "@/lib/server/model-streams";
import { createOrResumeRun } from "@/lib/server/runs";

import { signInAs } from "@/lib/server/testing/sign-in-as";

vi.mock("@/auth", () => ({ auth: vi.fn() }));

const config = studyConfigSchema.parse({ blocks: 3, trialsPerBlock: 6, practice: { trials: 0 } });
const db = () => getDb();
const jobsCtx = (id: string) => ({ params: Promise.resolve({ id }) });
const streamCtx = (id: string, runId: string) => ({ params: Promise.resolve({ id, runId }) });
const post = (path: string, body?: unknown) =>
  new Request(`http://test${path}`, {
    method: "POST",
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });

let ownerId: string;
let strangerId: string;
let studyId: string;
let runId: string;

/** A study with one run whose trials are all saved and whose status is completed (no jobs queued). */
beforeAll(async () => {
  ownerId = (await db().user.create({ data: { email: "owner@t", passwordHash: "x" } })).id;
  strangerId = (await db().user.create({ data: { email: "stranger@t", passwordHash: "x" } })).id;
  studyId = (
    await db().study.create({
      data: { slug: "dash-api", title: "Dash", ownerId, config, status: "open" },
    })
  ).id;
  const entry = await createOrResumeRun("dash-api", {});
  if (entry.kind !== "run") throw new Error("no run");
  const run = await db().run.findUniqueOrThrow({ where: { token: entry.token } });
  const c = curriculumSchema.parse(run.curriculum);
  await db().trial.createMany({
    data: c.trials.map((t) => ({
      ...t,
      runId: run.id,
      response: t.correctResponse,
      correct: true,
      rtMs: 500,
    })),
  });
  await db().run.update({
    where: { id: run.id },
    data: { status: "completed", completedAt: new Date() },
  });
  runId = run.id;
});

describe("GET/POST /api/studies/[id]/jobs", () => {
  it("answers 401 signed out and 404 to a stranger, without queueing anything", async () => {
    signInAs(null);
    expect(
      (await jobsGET(new Request(`http://test/api/studies/${studyId}/jobs`), jobsCtx(studyId)))
        .status,
    ).toBe(401);
    expect((await jobsPOST(post(`/api/studies/${studyId}/jobs`), jobsCtx(studyId))).status).toBe(
      401,
    );
    signInAs(strangerId);
    expect(
      (await jobsGET(new Request(`http://test/api/studies/${studyId}/jobs`), jobsCtx(studyId)))
        .status,
    ).toBe(404);
    expect(
      (await jobsPOST(post(`/api/studies/${studyId}/jobs`, {}), jobsCtx(studyId))).status,
    ).toBe(404);
    expect(await db().job.count()).toBe(0);
  });

  it("queues one job per preset for completed runs, not twice, and reports progress as the worker runs them", async () => {
    signInAs(ownerId);
    const res = await jobsPOST(post(`/api/studies/${studyId}/jobs`, {}), jobsCtx(studyId));
    expect(res.status).toBe(202);
    const queued = (await res.json()) as { jobIds: string[]; runs: number; since: string };
    expect(queued.runs).toBe(1);
    expect(queued.jobIds).toHaveLength(config.model.presets.length);
    const again = (await (
      await jobsPOST(post(`/api/studies/${studyId}/jobs`, {}), jobsCtx(studyId))
    ).json()) as { jobIds: string[]; alreadyQueued: number };
    expect(again.jobIds).toHaveLength(0);
    expect(again.alreadyQueued).toBe(1);

    const progressUrl = `http://test/api/studies/${studyId}/jobs?since=${encodeURIComponent(queued.since)}`;
    const before = (await (await jobsGET(new Request(progressUrl), jobsCtx(studyId))).json()) as {
      counts: Record<string, number>;
      progress: number;
    };
    expect(before.counts.queued).toBe(2);
    expect(before.progress).toBe(0);
    expect(await runNextJob(jobHandlers)).toBe(true);
    const half = (await (await jobsGET(new Request(progressUrl), jobsCtx(studyId))).json()) as {
      counts: Record<string, number>;
      progress: number;
    };
    expect(half.counts).toMatchObject({ queued: 1, done: 1 });
    expect(half.progress).toBeCloseTo(0.5, 9);
    expect(await runNextJob(jobHandlers)).toBe(true);
    const after = (await (await jobsGET(new Request(progressUrl), jobsCtx(studyId))).json()) as {
      counts: Record<string, number>;
      progress: number;
    };
    expect(after.counts.done).toBe(2);
    expect(after.progress).toBe(1);
    // With both server streams done, "all runs" has nothing left to do unless asked to rerun.
    const none = (await (
      await jobsPOST(post(`/api/studies/${studyId}/jobs`, {}), jobsCtx(studyId))
    ).json()) as { jobIds: string[] };
    expect(none.jobIds).toHaveLength(0);
    const rerun = (await (
      await jobsPOST(post(`/api/studies/${studyId}/jobs`, { runId, rerun: true }), jobsCtx(studyId))
    ).json()) as { jobIds: string[] };
    expect(rerun.jobIds).toHaveLength(2);
  });

  it("rejects unknown fields and runs of other studies", async () => {
    signInAs(ownerId);
    expect(
      (await jobsPOST(post(`/api/studies/${studyId}/jobs`, { everything: true }), jobsCtx(studyId)))
        .status,
    ).toBe(422);
    expect(
      (await jobsPOST(post(`/api/studies/${studyId}/jobs`, { runId: "nope" }), jobsCtx(studyId)))
        .status,
    ).toBe(404);
  });
});

describe("POST /api/studies/[id]/runs/[runId]/model-streams", () => {
  it("stores a stream computed on the run's curriculum as researcher_browser, owner only", async () => {
    const run = await db().run.findUniqueOrThrow({ where: { id: runId } });
    const seed = modelSeedFor(run.seed, "flexible");
    const trials = await computeModelStream(run.curriculum, "flexible", seed);
    const body = { preset: "flexible", seed, trials };
    signInAs(null);
    expect((await streamPOST(post("/x", body), streamCtx(studyId, runId))).status).toBe(401);
    signInAs(strangerId);
    expect((await streamPOST(post("/x", body), streamCtx(studyId, runId))).status).toBe(404);
    signInAs(ownerId);
    expect((await streamPOST(post("/x", body), streamCtx(studyId, "other-run"))).status).toBe(404);
    const tampered = {
      ...body,
      trials: trials.map((t, i) =>
        i === 3 ? { ...t, stimulus: t.stimulus === "1" ? "2" : "1" } : t,
      ),
    };
    expect((await streamPOST(post("/x", tampered), streamCtx(studyId, runId))).status).toBe(422);
    expect(await db().modelRun.count({ where: { source: "researcher_browser" } })).toBe(0);

    const res = await streamPOST(post("/x", body), streamCtx(studyId, runId));
    expect(res.status).toBe(200);
    const stored = await db().modelRun.findFirstOrThrow({
      where: { runId, source: "researcher_browser" },
      include: { _count: { select: { trials: true } } },
    });
    expect(stored).toMatchObject({ preset: "flexible", seed, status: "done" });
    expect(stored._count.trials).toBe(trials.length);
  });
});
