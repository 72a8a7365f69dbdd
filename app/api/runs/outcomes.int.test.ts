// Outcomes against a real, migrated database (PGlite per file, or PostgreSQL when DATABASE_URL is
// set): each early end earns its own code only when the saved trials fit the reason, the reason is
// stored (Run.statusReason), a returned or completed run answers with its outcome again — also to
// a participant who comes back with the same external id — and an unfinished run never gets a code.
import { POST as completePOST } from "@/app/api/runs/[token]/complete/route";
import { POST as returnPOST } from "@/app/api/runs/[token]/return/route";
import { POST as trialsPOST } from "@/app/api/runs/[token]/trials/route";
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema, type StudyConfigInput } from "@/lib/core/study-config";
import { getDb } from "@/lib/server/db";
import { createOrResumeRun } from "@/lib/server/runs";
import { trialRecordFor } from "@/lib/server/testing/trial-records";

const CODES = {
  completionCode: "DONE-CODE",
  redirectUrl: "",
  outcomes: {
    consentDeclined: { code: "NOCONSENT-CODE", redirectUrl: "https://example.org/noconsent" },
    screenedOut: { code: "SCREEN-CODE" },
  },
} satisfies StudyConfigInput["recruitment"];

async function makeStudy(slug: string, extra: StudyConfigInput = {}) {
  const db = getDb();
  const owner = await db.user.upsert({
    where: { email: "outcome-owner@test" },
    create: { email: "outcome-owner@test", passwordHash: "x" },
    update: {},
  });
  const config = studyConfigSchema.parse({
    blocks: 2,
    trialsPerBlock: 4,
    practice: { trials: 4, maxAttempts: 2, minAccuracy: 0.75, onFail: "end" },
    recruitment: CODES,
    ...extra,
  });
  await db.study.create({ data: { slug, title: slug, ownerId: owner.id, config, status: "open" } });
}

async function newRun(slug: string, participant: string) {
  const r = await createOrResumeRun(slug, { PROLIFIC_PID: participant });
  if (r.kind !== "run") throw new Error(r.reason);
  return r.token;
}

const ctx = (token: string) => ({ params: Promise.resolve({ token }) });
const post = (body?: unknown) =>
  new Request("http://test/x", {
    method: "POST",
    ...(body === undefined
      ? {}
      : {
          body: typeof body === "string" ? body : JSON.stringify(body),
          headers: { "content-type": "application/json" },
        }),
  });
const runOf = (token: string) => getDb().run.findUniqueOrThrow({ where: { token } });

async function savePractice(token: string, attempts: number, correct: boolean) {
  const run = await runOf(token);
  const practice = curriculumSchema.parse(run.curriculum).practice;
  const trials = [...Array(attempts).keys()].flatMap((a) =>
    practice.map((t, i) => ({
      ...trialRecordFor(t, correct ? t.correctResponse : null),
      trialIndex: a * practice.length + i,
    })),
  );
  const r = await trialsPOST(post({ trials }), ctx(token));
  expect(r.status).toBe(200);
}

describe("early outcomes", () => {
  it("declined consent: its own code and redirect, the reason stored, the same answer again", async () => {
    await makeStudy("out-consent");
    const token = await newRun("out-consent", "pid-c1");
    const res = await returnPOST(post({ reason: "consent-declined" }), ctx(token));
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer).toEqual({
      outcome: "consent-declined",
      completionCode: "NOCONSENT-CODE",
      redirectUrl: "https://example.org/noconsent",
    });
    const run = await runOf(token);
    expect([run.status, run.statusReason]).toEqual(["returned", "consent-declined"]);
    // idempotent, whatever the second request says; the completion code never comes
    expect(await (await returnPOST(post({ reason: "screened-out" }), ctx(token))).json()).toEqual(
      answer,
    );
    const complete = await completePOST(post(), ctx(token));
    expect(complete.status).toBe(409);
    expect(await complete.text()).not.toContain("DONE-CODE");
  });

  it("refuses declined consent or a screen-out once trials were saved, and changes nothing", async () => {
    await makeStudy("out-late");
    const token = await newRun("out-late", "pid-l1");
    await savePractice(token, 1, true);
    for (const reason of ["consent-declined", "screened-out"]) {
      const res = await returnPOST(post({ reason }), ctx(token));
      expect(res.status).toBe(409);
      expect(await res.text()).not.toMatch(/NOCONSENT-CODE|SCREEN-CODE/);
    }
    const run = await runOf(token);
    expect([run.status, run.statusReason]).toEqual(["active", null]);
  });

  it("failed practice only when the saved practice shows every attempt below the criterion; falls back to the screen-out code", async () => {
    await makeStudy("out-practice");
    const token = await newRun("out-practice", "pid-p1");
    expect((await returnPOST(post({ reason: "practice-failed" }), ctx(token))).status).toBe(409);
    await savePractice(token, 1, false);
    // one of two attempts used: not failed yet
    expect((await returnPOST(post({ reason: "practice-failed" }), ctx(token))).status).toBe(409);
    const run = await runOf(token);
    const practice = curriculumSchema.parse(run.curriculum).practice;
    const second = practice.map((t, i) => ({
      ...trialRecordFor(t, null),
      trialIndex: practice.length + i,
    }));
    expect((await trialsPOST(post({ trials: second }), ctx(token))).status).toBe(200);
    const res = await returnPOST(post({ reason: "practice-failed" }), ctx(token));
    expect(await res.json()).toEqual({
      outcome: "practice-failed",
      completionCode: "SCREEN-CODE",
      redirectUrl: "",
    });
    expect((await runOf(token)).statusReason).toBe("practice-failed");

    // a passed practice is no failure, nor is any practice in a study that continues after it
    const passed = await newRun("out-practice", "pid-p2");
    await savePractice(passed, 2, true);
    expect((await returnPOST(post({ reason: "practice-failed" }), ctx(passed))).status).toBe(409);
    await makeStudy("out-practice-go", {
      practice: { trials: 4, maxAttempts: 2, onFail: "continue" },
    });
    const goes = await newRun("out-practice-go", "pid-p3");
    await savePractice(goes, 2, false);
    expect((await returnPOST(post({ reason: "practice-failed" }), ctx(goes))).status).toBe(409);
  });

  it("withdrawn without a body earns no code; an unknown reason is a 422 and stores nothing", async () => {
    await makeStudy("out-withdrawn");
    const token = await newRun("out-withdrawn", "pid-w1");
    const bad = await returnPOST(post({ reason: "paid-anyway" }), ctx(token));
    expect(bad.status).toBe(422);
    expect((await runOf(token)).status).toBe("started");
    expect((await returnPOST(post("not json"), ctx(token))).status).toBe(400);
    const res = await returnPOST(post(), ctx(token));
    expect(await res.json()).toEqual({ outcome: "withdrawn", completionCode: "", redirectUrl: "" });
    expect((await runOf(token)).statusReason).toBe("withdrawn");
  });

  it("a completed run is never returned and keeps its completion code", async () => {
    await makeStudy("out-done", { practice: { trials: 0 } });
    const token = await newRun("out-done", "pid-d1");
    const run = await runOf(token);
    const trials = curriculumSchema.parse(run.curriculum).trials.map((t) => trialRecordFor(t));
    expect((await trialsPOST(post({ trials }), ctx(token))).status).toBe(200);
    expect((await completePOST(post(), ctx(token))).status).toBe(200);
    const ret = await returnPOST(post({ reason: "consent-declined" }), ctx(token));
    expect(ret.status).toBe(409);
    expect(await ret.text()).not.toMatch(/CODE/);
    expect((await runOf(token)).status).toBe("completed");
  });
});

describe("a participant who comes back with the same external id", () => {
  it("after finishing reaches the run's outcome page again (a new token in another browser) and the same code; never a code while unfinished", async () => {
    await makeStudy("out-back", { practice: { trials: 0 } });
    const declined = await newRun("out-back", "pid-b1");
    await returnPOST(post({ reason: "consent-declined" }), ctx(declined));
    const back = await createOrResumeRun("out-back", { PROLIFIC_PID: "pid-b1" });
    expect(back).toMatchObject({ kind: "run", finished: true });
    const token = (back as { token: string }).token;
    expect(await (await returnPOST(post({}), ctx(token))).json()).toMatchObject({
      outcome: "consent-declined",
      completionCode: "NOCONSENT-CODE",
    });

    const done = await newRun("out-back", "pid-b2");
    const run = await runOf(done);
    const trials = curriculumSchema.parse(run.curriculum).trials.map((t) => trialRecordFor(t));
    await trialsPOST(post({ trials }), ctx(done));
    await completePOST(post(), ctx(done));
    const again = await createOrResumeRun("out-back", { PROLIFIC_PID: "pid-b2" });
    expect(again).toMatchObject({ kind: "run", finished: true });
    const code = await (await completePOST(post(), ctx((again as { token: string }).token))).json();
    expect(code).toEqual({ outcome: "completed", completionCode: "DONE-CODE", redirectUrl: "" });

    // unfinished: resumed, not finished, and /complete gives no code
    const open = await newRun("out-back", "pid-b3");
    const resumed = await createOrResumeRun("out-back", { PROLIFIC_PID: "pid-b3" });
    expect(resumed).toMatchObject({ kind: "run", resumed: true });
    expect(resumed).not.toHaveProperty("finished");
    const early = await completePOST(post(), ctx((resumed as { token: string }).token));
    expect(early.status).toBe(409);
    expect(await early.text()).not.toContain("DONE-CODE");
    expect(open).not.toBe((resumed as { token: string }).token);
  });
});
