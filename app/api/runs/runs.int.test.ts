// Participant API against a real, migrated database (PGlite per file, or PostgreSQL when
// DATABASE_URL is set): run creation and resume, idempotent trial saving, every error case.
import { POST as completePOST } from "@/app/api/runs/[token]/complete/route";
import { POST as heartbeatPOST } from "@/app/api/runs/[token]/heartbeat/route";
import { POST as trialsPOST } from "@/app/api/runs/[token]/trials/route";
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema } from "@/lib/core/study-config";

import { getDb } from "@/lib/server/db";
import { createOrResumeRun, fetchRunState, markAbandonedRuns } from "@/lib/server/runs";
import { trialRecordFor } from "@/lib/server/testing/trial-records";

const config = studyConfigSchema.parse({
  blocks: 3,
  trialsPerBlock: 8,
  practice: { trials: 4 },
  recruitment: { completionCode: "ABC-123" },
});

async function makeStudy(slug: string, status: "open" | "draft" | "closed" = "open") {
  const db = getDb();
  const owner = await db.user.upsert({
    where: { email: "owner@test" },
    create: { email: "owner@test", passwordHash: "x" },
    update: {},
  });
  return db.study.create({ data: { slug, title: slug, ownerId: owner.id, config, status } });
}

async function newRun(slug: string, params: Record<string, string> = {}) {
  const r = await createOrResumeRun(slug, params);
  if (r.kind !== "run") throw new Error(`expected a run, got ${r.reason}`);
  return r.token;
}

const record = trialRecordFor;

function post(token: string, body: unknown, raw?: string) {
  const text = raw ?? JSON.stringify(body);
  return trialsPOST(
    new Request(`http://test/api/runs/${token}/trials`, {
      method: "POST",
      body: text,
      headers: { "content-type": "application/json" },
    }),
    { params: Promise.resolve({ token }) },
  );
}

async function curriculumOf(token: string) {
  const run = await getDb().run.findUniqueOrThrow({ where: { token } });
  return curriculumSchema.parse(run.curriculum);
}

async function storedCount(token: string) {
  return getDb().trial.count({ where: { run: { token } } });
}

describe("createOrResumeRun", () => {
  it("creates a run with a stored curriculum, seed and unguessable token", async () => {
    await makeStudy("create-1");
    const token = await newRun("create-1", {
      PROLIFIC_PID: "p1",
      STUDY_ID: "s1",
      SESSION_ID: "x1",
    });
    const run = await getDb().run.findUniqueOrThrow({ where: { token } });
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(run.source).toBe("prolific");
    expect(run.externalId).toBe("p1");
    expect(run.expectedTrials).toBe(24);
    expect(curriculumSchema.parse(run.curriculum).trials).toHaveLength(24);
    expect(run.status).toBe("started");
  });

  it("resumes the same run for the same external id and, once completed, only shows its outcome", async () => {
    await makeStudy("resume-1");
    const first = await newRun("resume-1", { PROLIFIC_PID: "same" });
    // the same browser (its run cookie); another browser moves the run (security.int.test.ts)
    const again = await createOrResumeRun(
      "resume-1",
      { PROLIFIC_PID: "same" },
      { resumeToken: first },
    );
    expect(again).toEqual({ kind: "run", token: first, resumed: true });
    await getDb().run.update({ where: { token: first }, data: { status: "completed" } });
    expect(
      await createOrResumeRun("resume-1", { PROLIFIC_PID: "same" }, { resumeToken: first }),
    ).toEqual({ kind: "run", token: first, resumed: true, finished: true });
    expect(await getDb().run.count({ where: { study: { slug: "resume-1" } } })).toBe(1);
  });

  it("gives distinct participant indices and different curricula to concurrent entries", async () => {
    await makeStudy("concurrent-1");
    const tokens = await Promise.all(
      Array.from({ length: 8 }, (_, i) => newRun("concurrent-1", { workerId: `w${i}` })),
    );
    const runs = await getDb().run.findMany({ where: { token: { in: tokens } } });
    expect(new Set(runs.map((r) => r.participantIndex)).size).toBe(8);
    expect(new Set(runs.map((r) => r.seed)).size).toBe(8);
  });

  it("lets concurrent entries with one external id (two tabs) share a single run", async () => {
    await makeStudy("race-1");
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        createOrResumeRun(
          "race-1",
          { PROLIFIC_PID: "twotabs", STUDY_ID: "s1", SESSION_ID: "x1" },
          { userAgent: "UA/1" },
        ),
      ),
    );
    const tokens = new Set(results.map((r) => (r.kind === "run" ? r.token : r.reason)));
    expect(tokens.size).toBe(1);
    const runs = await getDb().run.findMany({ where: { study: { slug: "race-1" } } });
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect([
      run.source,
      run.externalId,
      run.externalStudyId,
      run.externalSessionId,
      run.userAgent,
      run.status,
    ]).toEqual(["prolific", "twotabs", "s1", "x1", "UA/1", "started"]);
    const curriculum = curriculumSchema.parse(run.curriculum);
    expect(run.expectedTrials).toBe(curriculum.trials.length);
    expect(studyConfigSchema.parse(run.config)).toEqual(config);
    expect(Math.abs(run.startedAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("refuses closed and unknown studies but lets the pilot link into a draft", async () => {
    const draft = await makeStudy("draft-1", "draft");
    expect(await createOrResumeRun("draft-1", {})).toEqual({ kind: "refused", reason: "closed" });
    expect(await createOrResumeRun("nope", {})).toEqual({ kind: "refused", reason: "not-found" });
    const pilot = await createOrResumeRun("draft-1", { pilot: draft.id });
    expect(pilot.kind).toBe("run");
  });
});

describe("POST /api/runs/<token>/trials", () => {
  it("stores trials once: a retried batch is 200 with the stored rows unchanged", async () => {
    await makeStudy("trials-1");
    const token = await newRun("trials-1");
    const c = await curriculumOf(token);
    const batch = { trials: c.trials.slice(0, 3).map((t) => record(t)) };
    const r1 = await post(token, batch);
    expect(r1.status).toBe(200);
    expect(await r1.json()).toEqual({ saved: 3, duplicates: 0 });
    const altered = { trials: [record(c.trials[0], c.trials[0].correctResponse, 999)] };
    const r2 = await post(token, altered);
    expect(await r2.json()).toEqual({ saved: 0, duplicates: 1 });
    const stored = await getDb().trial.findFirstOrThrow({
      where: { run: { token }, trialIndex: 0, phase: "main" },
    });
    expect(stored.rtMs).toBe(512.25);
    expect(await storedCount(token)).toBe(3);
    const run = await getDb().run.findUniqueOrThrow({ where: { token } });
    expect(run.status).toBe("active");
  });

  it("answers 404 for an unknown token and stores nothing", async () => {
    const r = await post("A".repeat(32), { trials: [] });
    expect(r.status).toBe(404);
  });

  it("answers 400 for a body that is not JSON", async () => {
    await makeStudy("bad-json");
    const token = await newRun("bad-json");
    const r = await post(token, null, "{not json");
    expect(r.status).toBe(400);
    expect(await storedCount(token)).toBe(0);
  });

  it("answers 413 for an oversized body", async () => {
    await makeStudy("big-body");
    const token = await newRun("big-body");
    const r = await post(token, null, JSON.stringify({ trials: [], pad: "x".repeat(70_000) }));
    expect(r.status).toBe(413);
    expect(await storedCount(token)).toBe(0);
  });

  it("answers 422 for wrong types, out-of-range indices and trials that contradict the curriculum", async () => {
    await makeStudy("bad-trials");
    const token = await newRun("bad-trials");
    const c = await curriculumOf(token);
    const good = record(c.trials[0]);
    const cases: unknown[] = [
      { trials: [{ ...good, trialIndex: "0" }] },
      { trials: [{ ...good, trialIndex: 24 }] },
      { trials: [{ ...good, stimulus: c.trials[0].stimulus === "1" ? "2" : "1" }] },
      { trials: [{ ...good, correct: !good.correct }] },
      { trials: [{ ...good, response: null, correct: false }] },
      { trials: [{ ...good, task: "<script>alert(1)</script>" }] },
      { trials: [{ ...good, phase: "practice", trialIndex: 999 }] },
      { trials: [] },
    ];
    for (const body of cases) {
      const r = await post(token, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect((await r.json()).error).toMatch(/Invalid request|curriculum|range|correct|rtMs/);
    }
    expect(await storedCount(token)).toBe(0);
  });

  it("rejects a whole batch when one record is bad (no partial write)", async () => {
    await makeStudy("partial");
    const token = await newRun("partial");
    const c = await curriculumOf(token);
    const r = await post(token, {
      trials: [record(c.trials[0]), { ...record(c.trials[1]), blockIndex: 2 }],
    });
    expect(r.status).toBe(422);
    expect(await storedCount(token)).toBe(0);
  });

  it("accepts practice trials across attempts", async () => {
    await makeStudy("practice-1");
    const token = await newRun("practice-1");
    const c = await curriculumOf(token);
    const second = c.practice.map((t) => ({
      ...record(t),
      trialIndex: t.trialIndex + c.practice.length,
    }));
    const r = await post(token, { trials: [...c.practice.map((t) => record(t)), ...second] });
    expect(await r.json()).toEqual({ saved: 8, duplicates: 0 });
  });
});

describe("resume, heartbeat and completion", () => {
  it("resumes at the first unsaved main trial and completes only when every trial is saved", async () => {
    await makeStudy("complete-1");
    const token = await newRun("complete-1");
    const c = await curriculumOf(token);
    await post(token, { trials: c.trials.slice(0, 10).map((t) => record(t)) });
    const state = await fetchRunState(token);
    expect(state.resume).toEqual({
      mainTrialsDone: 10,
      practiceDone: true,
      practiceTrialsSaved: 0,
    });

    const ctx = { params: Promise.resolve({ token }) };
    const early = await completePOST(new Request("http://test", { method: "POST" }), ctx);
    expect(early.status).toBe(409);
    expect((await early.json()).details).toEqual({ missing: 14 });

    for (let i = 10; i < 24; i += 7)
      await post(token, { trials: c.trials.slice(i, i + 7).map((t) => record(t, null)) });
    const done = await completePOST(new Request("http://test", { method: "POST" }), {
      params: Promise.resolve({ token }),
    });
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({
      outcome: "completed",
      completionCode: "ABC-123",
      redirectUrl: "",
    });
    const run = await getDb().run.findUniqueOrThrow({ where: { token } });
    expect(run.status).toBe("completed");
    expect(await getDb().job.count({ where: { runId: run.id, kind: "model-stream" } })).toBe(2);

    const late = await post(token, { trials: [record(c.trials[0])] });
    expect(late.status).toBe(409);
  });

  it("answers a cached run that has finished with 409 before judging the payload, and a deleted one with 404", async () => {
    await makeStudy("cached-1");
    const token = await newRun("cached-1");
    const c = await curriculumOf(token);
    expect((await post(token, { trials: [record(c.trials[0])] })).status).toBe(200); // caches the run in this process
    await getDb().run.update({ where: { token }, data: { status: "returned" } });
    expect((await post(token, { trials: [record(c.trials[1])] })).status).toBe(409);
    expect(
      (await post(token, { trials: [{ ...record(c.trials[1]), stimulus: "nope" }] })).status,
    ).toBe(409);
    expect((await post(token, { nonsense: true })).status).toBe(409);
    expect(await storedCount(token)).toBe(1);

    const token2 = await newRun("cached-1");
    const c2 = await curriculumOf(token2);
    expect((await post(token2, { trials: [record(c2.trials[0])] })).status).toBe(200);
    await getDb().run.delete({ where: { token: token2 } });
    expect((await post(token2, { trials: [record(c2.trials[1])] })).status).toBe(404);
    expect((await post(token2, { nonsense: true })).status).toBe(404);
  });

  it("a save is a heartbeat: it revives an abandoned run and stamps lastSeenAt and receivedAt with the server's clock", async () => {
    await makeStudy("saveheart-1");
    const token = await newRun("saveheart-1");
    const c = await curriculumOf(token);
    const before = Date.now();
    await getDb().run.update({
      where: { token },
      data: { status: "abandoned", lastSeenAt: new Date(before - 3_600_000) },
    });
    const r = await post(token, { trials: c.trials.slice(0, 2).map((t) => record(t)) });
    expect(await r.json()).toEqual({ saved: 2, duplicates: 0 });
    const run = await getDb().run.findUniqueOrThrow({
      where: { token },
      include: { trials: true },
    });
    expect(run.status).toBe("active");
    expect(Math.abs(run.lastSeenAt.getTime() - before)).toBeLessThan(60_000);
    for (const t of run.trials)
      expect(Math.abs(t.receivedAt.getTime() - before)).toBeLessThan(60_000);
    expect(run.trials.map((t) => [t.trialIndex, t.rtMs, t.response, t.phase])).toEqual(
      c.trials.slice(0, 2).map((t) => [t.trialIndex, 512.25, t.correctResponse, "main"]),
    );
  });

  it("revives an abandoned run when the participant comes back", async () => {
    await makeStudy("abandon-1");
    const token = await newRun("abandon-1");
    await getDb().run.update({
      where: { token },
      data: { lastSeenAt: new Date(Date.now() - 3_600_000) },
    });
    expect(await markAbandonedRuns(30 * 60_000)).toBeGreaterThanOrEqual(1);
    expect((await getDb().run.findUniqueOrThrow({ where: { token } })).status).toBe("abandoned");
    const r = await heartbeatPOST(new Request("http://test", { method: "POST" }), {
      params: Promise.resolve({ token }),
    });
    expect(await r.json()).toEqual({ status: "active" });
  });
});

describe("run creation rate limit", () => {
  it("refuses new runs from one address beyond the limit but still resumes existing ones", async () => {
    const { RUN_CREATE_LIMIT } = await import("@/lib/server/runs");
    await makeStudy("limited-1");
    const limit = RUN_CREATE_LIMIT.perWindow;
    RUN_CREATE_LIMIT.perWindow = 3;
    try {
      const made = [];
      for (let i = 0; i < 3; i++)
        made.push(
          await createOrResumeRun("limited-1", { participant: `p${i}` }, { clientIp: "10.0.0.9" }),
        );
      expect(made.every((r) => r.kind === "run")).toBe(true);
      expect(
        await createOrResumeRun("limited-1", { participant: "p9" }, { clientIp: "10.0.0.9" }),
      ).toEqual({ kind: "refused", reason: "rate-limited" });
      expect(
        (await createOrResumeRun("limited-1", { participant: "p0" }, { clientIp: "10.0.0.9" }))
          .kind,
      ).toBe("run");
      expect(
        (await createOrResumeRun("limited-1", { participant: "q1" }, { clientIp: "10.0.0.10" }))
          .kind,
      ).toBe("run");
    } finally {
      RUN_CREATE_LIMIT.perWindow = limit;
    }
  });
});

describe("participant indices", () => {
  it("start at 0, so the first participant gets the curriculum the study preview shows", async () => {
    const study = await makeStudy("index-0");
    const token = await newRun("index-0");
    const run = await getDb().run.findUniqueOrThrow({ where: { token } });
    expect(run.participantIndex).toBe(0);
    const { generateCurriculum, participantSeedFor } = await import("@/lib/core/curriculum");
    const seed = participantSeedFor(studyConfigSchema.parse(study.config).seed, 0);
    expect(run.curriculum).toEqual(generateCurriculum(config, seed, 0));
  });
});
