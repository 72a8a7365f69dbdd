// Security properties of the participant API against a real, migrated database (PGlite per file,
// or PostgreSQL when DATABASE_URL is set): the completion code only from a successful /complete,
// timing-plausibility flags, moving a run by external id, model-stream writes after the end,
// text the database cannot store, and the bound on cookieless entries.
import { vi } from "vitest";

import { POST as completePOST } from "@/app/api/runs/[token]/complete/route";
import { POST as modelStreamPOST } from "@/app/api/runs/[token]/model-stream/route";
import { POST as returnPOST } from "@/app/api/runs/[token]/return/route";
import { GET as runGET } from "@/app/api/runs/[token]/route";
import { POST as trialsPOST } from "@/app/api/runs/[token]/trials/route";
import { GET as entryGET, HEAD as entryHEAD } from "@/app/s/[slug]/route";
import { POST as createStudyPOST } from "@/app/api/studies/route";
import { auth } from "@/auth";
import { curriculumSchema, type CurriculumTrial } from "@/lib/core/curriculum-schema";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getDb } from "@/lib/server/db";
import { createOrResumeRun, fetchRunState, participantConfig } from "@/lib/server/runs";
import { trialRecordFor } from "@/lib/server/testing/trial-records";
import { NextRequest } from "next/server";

vi.mock("@/auth", () => ({ auth: vi.fn() }));

const config = studyConfigSchema.parse({
  blocks: 2,
  trialsPerBlock: 4,
  practice: { trials: 0 },
  timing: { fixationMs: 500, responseWindowMs: 2000, feedbackMs: 500, itiMs: 300 },
  model: { runInParticipantBrowser: true, presets: ["flexible"] },
  recruitment: { completionCode: "SECRET-CODE-1", redirectUrl: "https://example.org/done?cc=X1" },
});

let ownerId = "";
async function makeStudy(slug: string) {
  const db = getDb();
  const owner = await db.user.upsert({
    where: { email: "sec-owner@test" },
    create: { email: "sec-owner@test", passwordHash: "x" },
    update: {},
  });
  ownerId = owner.id;
  return db.study.create({
    data: { slug, title: slug, ownerId: owner.id, config, status: "open" },
  });
}

async function newRun(slug: string, params: Record<string, string> = {}, resumeToken?: string) {
  const r = await createOrResumeRun(slug, params, { resumeToken });
  if (r.kind !== "run") throw new Error(`expected a run, got ${r.reason}`);
  return r;
}

const ctx = (token: string) => ({ params: Promise.resolve({ token }) });
const post = (body: unknown = {}) =>
  new Request("http://test/x", {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });

const record = (t: CurriculumTrial, rtMs = 480.5) => trialRecordFor(t, t.correctResponse, rtMs);

async function saveAll(token: string, rtMs?: (i: number) => number) {
  const run = await getDb().run.findUniqueOrThrow({ where: { token } });
  const trials = curriculumSchema
    .parse(run.curriculum)
    .trials.map((t) => record(t, rtMs?.(t.trialIndex)));
  const r = await trialsPOST(post({ trials }), ctx(token));
  expect(r.status).toBe(200);
  return trials;
}

async function backdate(token: string, ms: number) {
  await getDb().run.update({
    where: { token },
    data: { startedAt: new Date(Date.now() - ms) },
  });
}

describe("completion code and redirect", () => {
  it("are not in the config the page hands to the browser", async () => {
    await makeStudy("sec-code-page");
    const { token } = await newRun("sec-code-page", { participant: "p1" });
    const state = await fetchRunState(token);
    const sent = JSON.stringify(participantConfig(state.config));
    expect(sent).not.toContain("SECRET-CODE-1");
    expect(sent).not.toContain("example.org");
    // the rest of the design is intact
    expect(participantConfig(state.config).timing).toEqual(config.timing);
  });

  it("come only from /complete once every trial is saved — never from /return", async () => {
    await makeStudy("sec-code-return");
    const { token } = await newRun("sec-code-return", { participant: "p1" });
    const early = await completePOST(post(), ctx(token));
    expect(early.status).toBe(409);
    expect(await early.text()).not.toContain("SECRET-CODE-1");
    const ret = await returnPOST(post(), ctx(token));
    expect(ret.status).toBe(200);
    expect(await ret.text()).not.toContain("SECRET-CODE-1");
    // a returned run cannot be completed into a code, even with every trial there
    const other = await newRun("sec-code-return", { participant: "p2" });
    await saveAll(other.token);
    await returnPOST(post(), ctx(other.token));
    const afterReturn = await completePOST(post(), ctx(other.token));
    expect(afterReturn.status).toBe(409);
    expect(await afterReturn.text()).not.toContain("SECRET-CODE-1");
  });

  it("a completed run answers /complete again with the same code (a reload keeps it reachable)", async () => {
    await makeStudy("sec-code-done");
    const { token } = await newRun("sec-code-done", { participant: "p1" });
    await saveAll(token);
    await backdate(token, 3_600_000);
    const first = await (await completePOST(post(), ctx(token))).json();
    expect(first).toEqual({
      outcome: "completed",
      completionCode: "SECRET-CODE-1",
      redirectUrl: "https://example.org/done?cc=X1",
    });
    expect(await (await completePOST(post(), ctx(token))).json()).toEqual(first);
  });
});

describe("timing plausibility", () => {
  it("flags a run finished faster than the design allows, keeps its trials, and leaves a plausible run unflagged", async () => {
    await makeStudy("sec-timing");
    // 8 main trials × (500 fixation + 500 feedback + 300 ITI) = 10.4 s at the very least
    const fast = await newRun("sec-timing", { participant: "fast" });
    await saveAll(fast.token, (i) => (i === 3 ? 2500 : 300));
    expect((await completePOST(post(), ctx(fast.token))).status).toBe(200);
    const flagged = await getDb().run.findUniqueOrThrow({ where: { token: fast.token } });
    expect(flagged.status).toBe("completed");
    const flags = flagged.timingFlags as { code: string; statistic: number; threshold: number }[];
    expect(flags.map((f) => f.code)).toEqual(["too-fast", "rt-outside-window"]);
    expect(flags[0].statistic).toBeLessThan(flags[0].threshold);
    expect(flags[0].threshold).toBe(Math.round(0.9 * 8 * 1300));
    expect(await getDb().trial.count({ where: { runId: flagged.id } })).toBe(8);

    const slow = await newRun("sec-timing", { participant: "slow" });
    await saveAll(slow.token);
    await backdate(slow.token, 60_000);
    expect((await completePOST(post(), ctx(slow.token))).status).toBe(200);
    const plain = await getDb().run.findUniqueOrThrow({ where: { token: slow.token } });
    expect(plain.timingFlags).toEqual([]);
  });
});

describe("resuming by external id from another browser", () => {
  it("moves the run: a new token, the old one stops working, the move is recorded, responses stay hidden", async () => {
    await makeStudy("sec-move");
    const first = await newRun("sec-move", {
      PROLIFIC_PID: "pid-1",
      STUDY_ID: "s",
      SESSION_ID: "x",
    });
    const run = await getDb().run.findUniqueOrThrow({ where: { token: first.token } });
    const trials = curriculumSchema.parse(run.curriculum).trials;
    expect((await trialsPOST(post({ trials: [record(trials[0])] }), ctx(first.token))).status).toBe(
      200,
    );
    // the same browser (its run cookie) resumes in place
    const same = await newRun("sec-move", { PROLIFIC_PID: "pid-1" }, first.token);
    expect(same.token).toBe(first.token);
    expect(same.moved).toBeUndefined();
    // another browser with only the id
    const moved = await newRun("sec-move", { PROLIFIC_PID: "pid-1" });
    expect(moved.token).not.toBe(first.token);
    expect(moved.moved).toBe(true);
    expect((await runGET(new Request("http://test/"), ctx(first.token))).status).toBe(404);
    const stale = await trialsPOST(post({ trials: [record(trials[1])] }), ctx(first.token));
    expect(stale.status).toBe(404);
    const row = await getDb().run.findUniqueOrThrow({ where: { id: run.id } });
    expect(row.transfers).toBe(1);
    expect(row.transferredAt).not.toBeNull();
    // the new browser learns which trials are stored, never what was answered
    const view = await (
      await runGET(new Request("http://test/?include=trials,curriculum"), ctx(moved.token))
    ).json();
    expect(view.savedMain).toEqual([0]);
    expect(view.trials).toBeUndefined();
    const state = await fetchRunState(moved.token);
    expect(state.resume.mainTrialsDone).toBe(1);
    // and continues where the run stopped
    expect((await trialsPOST(post({ trials: [record(trials[1])] }), ctx(moved.token))).status).toBe(
      200,
    );
  });

  it("never resumes a completed or returned run: the participant lands on its outcome page, and another browser gets a new token without the responses", async () => {
    await makeStudy("sec-move-done");
    const done = await newRun("sec-move-done", { PROLIFIC_PID: "pid-done" });
    await saveAll(done.token);
    await completePOST(post(), ctx(done.token));
    const sameBrowser = await createOrResumeRun(
      "sec-move-done",
      { PROLIFIC_PID: "pid-done" },
      { resumeToken: done.token },
    );
    expect(sameBrowser).toEqual({ kind: "run", token: done.token, resumed: true, finished: true });
    const again = await createOrResumeRun("sec-move-done", { PROLIFIC_PID: "pid-done" });
    expect(again).toMatchObject({ kind: "run", resumed: true, moved: true, finished: true });
    const moved = again as { token: string };
    expect(moved.token).not.toBe(done.token);
    // the old token is dead, the new one shows no responses and takes no trials
    expect((await runGET(new Request("http://test/x"), ctx(done.token))).status).toBe(404);
    const view = await (
      await runGET(new Request("http://test/x?include=trials"), ctx(moved.token))
    ).json();
    expect(view.status).toBe("completed");
    expect(view.trials).toBeUndefined();
    const late = await trialsPOST(post({ trials: [] }), ctx(moved.token));
    expect(late.status).toBe(409);
    const row = await getDb().run.findUniqueOrThrow({ where: { token: moved.token } });
    expect(row.status).toBe("completed");

    const ret = await newRun("sec-move-done", { PROLIFIC_PID: "pid-ret" });
    await returnPOST(post(), ctx(ret.token));
    expect(await createOrResumeRun("sec-move-done", { PROLIFIC_PID: "pid-ret" })).toMatchObject({
      kind: "run",
      finished: true,
    });
    expect(await getDb().run.count({ where: { study: { slug: "sec-move-done" } } })).toBe(2);
  });
});

describe("model-stream writes", () => {
  function chunk(trials: CurriculumTrial[], output = 0.25) {
    return {
      preset: "flexible",
      seed: 7,
      trials: trials.map((t) => ({
        ...record(t),
        rtMs: null,
        response: t.correctResponse,
        output,
        loss: 0.1,
        gates: [0.5, 0.5],
      })),
    };
  }

  it("refuses values beyond the bound and anything after completion or withdrawal", async () => {
    await makeStudy("sec-model");
    const { token } = await newRun("sec-model", { participant: "m1" });
    const run = await getDb().run.findUniqueOrThrow({ where: { token } });
    const trials = curriculumSchema.parse(run.curriculum).trials;
    for (const huge of [1e300, -1e7]) {
      const r = await modelStreamPOST(post(chunk(trials.slice(0, 1), huge)), ctx(token));
      expect(r.status).toBe(422);
    }
    expect(await getDb().modelTrial.count()).toBe(0);
    expect((await modelStreamPOST(post(chunk(trials.slice(0, 1))), ctx(token))).status).toBe(200);
    await saveAll(token);
    await completePOST(post(), ctx(token));
    const late = await modelStreamPOST(post(chunk(trials.slice(1, 2))), ctx(token));
    expect(late.status).toBe(409);

    const withdrawn = await newRun("sec-model", { participant: "m2" });
    await returnPOST(post(), ctx(withdrawn.token));
    expect(
      (await modelStreamPOST(post(chunk(trials.slice(0, 1))), ctx(withdrawn.token))).status,
    ).toBe(409);
    expect(await getDb().modelTrial.count()).toBe(1);
  });
});

describe("text the database cannot store", () => {
  it("is a 4xx on researcher and participant APIs, never a 500, and nothing is stored", async () => {
    await makeStudy("sec-nul");
    (vi.mocked(auth) as unknown as { mockResolvedValue(v: unknown): void }).mockResolvedValue({
      user: { id: ownerId },
      expires: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const before = await getDb().study.count();
    for (const body of [
      { title: "bad\u0000title", slug: "sec-nul-2" },
      { title: "lone \ud800 surrogate", slug: "sec-nul-3" },
      { title: "ok", slug: "sec-nul-4", config: { consentText: "a\u0000b" } },
      { title: "ok", slug: "sec-nul-5", ["k\u0000"]: 1 },
    ]) {
      const r = await createStudyPOST(post(body));
      expect(r.status, JSON.stringify(body)).toBe(422);
    }
    const invalidUtf8 = new Request("http://test/x", {
      method: "POST",
      body: new Uint8Array([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      headers: { "content-type": "application/json" },
    });
    expect((await createStudyPOST(invalidUtf8)).status).toBe(400);
    expect(await getDb().study.count()).toBe(before);

    const { token } = await newRun("sec-nul", { participant: "n1" });
    const run = await getDb().run.findUniqueOrThrow({ where: { token } });
    const t = curriculumSchema.parse(run.curriculum).trials[0];
    const r = await trialsPOST(
      post({ trials: [{ ...record(t), stimulus: "1\u0000" }] }),
      ctx(token),
    );
    expect(r.status).toBe(422);
  });
});

describe("entry link", () => {
  const entry = (slug: string, query: string, method: "GET" | "HEAD" = "GET", cookie = "") =>
    new NextRequest(`http://evil.example/s/${slug}${query}`, {
      method,
      headers: { "x-forwarded-for": "203.0.113.9", ...(cookie ? { cookie } : {}) },
    });
  const slugCtx = (slug: string) => ({ params: Promise.resolve({ slug }) });

  it("redirects relative (never to the Host it was asked on), creates runs only on GET", async () => {
    await makeStudy("sec-entry");
    const before = await getDb().run.count();
    const head = await entryHEAD();
    expect(head.status).toBe(405);
    for (const prefetch of [
      ["next-router-prefetch", "1"],
      ["sec-purpose", "prefetch"],
    ] as [string, string][]) {
      const req = new NextRequest("http://test/s/sec-entry?participant=e0", {
        headers: [prefetch],
      });
      expect((await entryGET(req, slugCtx("sec-entry"))).status).toBe(204);
    }
    expect(await getDb().run.count()).toBe(before);
    const r = await entryGET(entry("sec-entry", "?participant=e1"), slugCtx("sec-entry"));
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toMatch(/^\/run\/[A-Za-z0-9_-]{32}$/);
    expect(r.headers.get("set-cookie")).not.toContain("Secure");
    const closed = await entryGET(entry("no-such-study", ""), slugCtx("no-such-study"));
    expect(closed.headers.get("location")).toBe("/s/no-such-study/closed?reason=not-found");
  });

  it("sets the run cookie Secure when a trusted proxy says the browser used https", async () => {
    await makeStudy("sec-entry-tls");
    const req = new NextRequest("http://internal/s/sec-entry-tls?participant=t1", {
      headers: { "x-forwarded-proto": "https" },
    });
    const r = await entryGET(req, slugCtx("sec-entry-tls"));
    expect(r.headers.get("set-cookie")).toMatch(/; Secure/);
  });

  it("bounds cookieless entries without an external id per address", async () => {
    await makeStudy("sec-anon");
    const codes: string[] = [];
    for (let i = 0; i < 32; i++) {
      const r = await createOrResumeRun("sec-anon", {}, { clientIp: "198.51.100.7" });
      codes.push(r.kind === "run" ? "run" : r.reason);
    }
    expect(codes.filter((c) => c === "run")).toHaveLength(30);
    expect(codes.slice(30)).toEqual(["rate-limited", "rate-limited"]);
    // participants with their own id from the same address are not held up by it
    expect(
      (await createOrResumeRun("sec-anon", { participant: "x" }, { clientIp: "198.51.100.7" }))
        .kind,
    ).toBe("run");
  });
});
