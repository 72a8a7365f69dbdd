// Study management through the real route handlers and database: the studies list's counts (pilot
// runs never count), duplicate, archive/unarchive (hidden, closed to every link) and delete (the
// slug confirms; the refusal says how much would go; everything goes in one transaction, nothing of
// other studies). Only the Auth.js session lookup is mocked.
import { vi } from "vitest";

import { POST as archivePOST } from "@/app/api/studies/[id]/archive/route";
import { POST as duplicatePOST } from "@/app/api/studies/[id]/duplicate/route";
import { DELETE as studyDELETE, PATCH as studyPATCH } from "@/app/api/studies/[id]/route";
import { GET as listGET } from "@/app/api/studies/route";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getDb } from "@/lib/server/db";
import { createOrResumeRun } from "@/lib/server/runs";
import { fetchStudiesForOwner } from "@/lib/server/studies";

import { signInAs } from "@/lib/server/testing/sign-in-as";

vi.mock("@/auth", () => ({ auth: vi.fn() }));

const db = () => getDb();
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const req = (method: string, body?: unknown) =>
  new Request("http://test/x", {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

let owner = "";
let stranger = "";
const config = studyConfigSchema.parse({ blocks: 2, trialsPerBlock: 4, practice: { trials: 0 } });

async function makeStudy(slug: string, status: "draft" | "open" | "closed" = "open") {
  return db().study.create({
    data: { slug, title: `Study ${slug}`, ownerId: owner, config, status },
  });
}

/** A run through the real entry path, then given `status` (and trials, events, model rows, fit). */
async function addRun(
  slug: string,
  who: string,
  opts: { status?: "completed" | "returned" | "active"; pilot?: string; full?: boolean } = {},
) {
  const entry = await createOrResumeRun(slug, {
    participant: who,
    ...(opts.pilot ? { pilot: opts.pilot } : {}),
  });
  if (entry.kind !== "run") throw new Error(`refused: ${entry.reason}`);
  const run = await db().run.update({
    where: { token: entry.token },
    data: { status: opts.status ?? "active" },
  });
  if (opts.full) {
    await db().trial.create({
      data: {
        runId: run.id,
        trialIndex: 0,
        blockIndex: 0,
        trialInBlock: 0,
        task: "parity",
        stimulus: "3",
        correctResponse: "f",
        congruent: true,
        response: "f",
        correct: true,
        rtMs: 400,
      },
    });
    await db().runEvent.create({
      data: { runId: run.id, pageId: "p", seq: 0, type: "blur", timeMs: 1 },
    });
    const mr = await db().modelRun.create({
      data: {
        runId: run.id,
        studyId: run.studyId,
        preset: "flexible",
        params: {},
        seed: 1,
        codeVersion: "t",
        source: "server",
        status: "done",
      },
    });
    await db().modelTrial.create({
      data: {
        modelRunId: mr.id,
        trialIndex: 0,
        blockIndex: 0,
        trialInBlock: 0,
        task: "parity",
        stimulus: "3",
        correctResponse: "f",
        congruent: true,
        response: "f",
        correct: true,
        output: 0.9,
        loss: 0.1,
        gates: [1, 0],
      },
    });
    await db().fit.create({
      data: {
        studyId: run.studyId,
        runId: run.id,
        model: "flexible",
        params: {},
        logLik: -1,
        bic: 2,
        nTrials: 1,
        nParams: 5,
        seed: 1,
        codeVersion: "t",
      },
    });
    await db().job.create({
      data: {
        kind: "model-stream",
        payload: {},
        runId: run.id,
        studyId: run.studyId,
        dedupeKey: `${run.id}/x`,
        status: "done",
      },
    });
  }
  return run;
}

beforeAll(async () => {
  owner = (await db().user.create({ data: { email: "mgr@lab.test", passwordHash: "x" } })).id;
  stranger = (await db().user.create({ data: { email: "mgr2@lab.test", passwordHash: "x" } })).id;
});

describe("studies list", () => {
  it("counts completed of all participant runs; pilot runs never count", async () => {
    const s = await makeStudy("list-counts");
    await addRun("list-counts", "a", { status: "completed" });
    await addRun("list-counts", "b", { status: "completed" });
    await addRun("list-counts", "c", { status: "returned" });
    await addRun("list-counts", "d");
    await addRun("list-counts", "pilot-1", { status: "completed", pilot: s.id });
    await addRun("list-counts", "pilot-2", { pilot: s.id });
    signInAs(owner);
    const { studies } = await (await listGET()).json();
    const row = studies.find((x: { id: string }) => x.id === s.id);
    expect(row).toMatchObject({ completed: 2, participants: 4 });
  });
});

describe("duplicate", () => {
  it("makes a draft with the same config, a new slug and no runs; numbered when taken", async () => {
    const s = await makeStudy("dup-src");
    await addRun("dup-src", "x", { status: "completed", full: true });
    signInAs(owner);
    const first = await duplicatePOST(req("POST"), ctx(s.id));
    expect(first.status).toBe(201);
    const a = (await first.json()).study;
    expect(a).toMatchObject({
      slug: "dup-src-copy",
      title: "Study dup-src (copy)",
      status: "draft",
    });
    expect(a.id).not.toBe(s.id);
    expect(a.config).toEqual(JSON.parse(JSON.stringify(config)));
    expect(await db().run.count({ where: { studyId: a.id } })).toBe(0);
    expect(await db().fit.count({ where: { studyId: a.id } })).toBe(0);
    const b = (await (await duplicatePOST(req("POST"), ctx(s.id))).json()).study;
    expect(b.slug).toBe("dup-src-copy-2");
    const named = await duplicatePOST(
      req("POST", { slug: "dup-named", title: "Named" }),
      ctx(s.id),
    );
    expect((await named.json()).study).toMatchObject({ slug: "dup-named", title: "Named" });
    // a taken or malformed slug, an unknown field: refused, nothing created
    const before = await db().study.count();
    expect((await duplicatePOST(req("POST", { slug: "dup-src" }), ctx(s.id))).status).toBe(409);
    expect((await duplicatePOST(req("POST", { slug: "Bad Slug" }), ctx(s.id))).status).toBe(422);
    expect((await duplicatePOST(req("POST", { status: "open" }), ctx(s.id))).status).toBe(422);
    expect(await db().study.count()).toBe(before);
  });

  it("a stranger gets 404 and nothing is copied", async () => {
    const s = await makeStudy("dup-private");
    signInAs(stranger);
    const before = await db().study.count();
    expect((await duplicatePOST(req("POST"), ctx(s.id))).status).toBe(404);
    expect(await db().study.count()).toBe(before);
  });
});

describe("archive", () => {
  it("hides the study, closes it and turns every link away (pilots too) until unarchived", async () => {
    const s = await makeStudy("arch");
    signInAs(owner);
    const res = await archivePOST(req("POST", { archived: true }), ctx(s.id));
    expect(res.status).toBe(200);
    expect((await res.json()).study).toMatchObject({ status: "closed" });
    expect((await fetchStudiesForOwner(owner)).map((x) => x.id)).not.toContain(s.id);
    expect(
      (await fetchStudiesForOwner(owner, { includeArchived: true })).map((x) => x.id),
    ).toContain(s.id);
    expect(await createOrResumeRun("arch", { participant: "p" })).toEqual({
      kind: "refused",
      reason: "archived",
    });
    expect(await createOrResumeRun("arch", { pilot: s.id })).toEqual({
      kind: "refused",
      reason: "archived",
    });
    expect(await db().run.count({ where: { studyId: s.id } })).toBe(0);
    // reopening needs unarchiving first
    const reopen = await studyPATCH(req("PATCH", { status: "open" }), ctx(s.id));
    expect(reopen.status).toBe(409);
    expect((await reopen.json()).error).toMatch(/unarchive/i);

    await archivePOST(req("POST", { archived: false }), ctx(s.id));
    expect((await fetchStudiesForOwner(owner)).map((x) => x.id)).toContain(s.id);
    expect((await createOrResumeRun("arch", { pilot: s.id })).kind).toBe("run");
    expect((await studyPATCH(req("PATCH", { status: "open" }), ctx(s.id))).status).toBe(200);
    expect((await createOrResumeRun("arch", { participant: "p" })).kind).toBe("run");
  });

  it("refuses a bad body (422) and a stranger (404), changing nothing", async () => {
    const s = await makeStudy("arch-bad");
    signInAs(owner);
    expect((await archivePOST(req("POST", { archived: "yes" }), ctx(s.id))).status).toBe(422);
    expect((await archivePOST(req("POST", {}), ctx(s.id))).status).toBe(422);
    signInAs(stranger);
    expect((await archivePOST(req("POST", { archived: true }), ctx(s.id))).status).toBe(404);
    expect((await db().study.findUniqueOrThrow({ where: { id: s.id } })).archivedAt).toBeNull();
  });
});

describe("delete", () => {
  it("without the slug: 422 stating what would be removed, and nothing is", async () => {
    const s = await makeStudy("del-ask");
    await addRun("del-ask", "a", { status: "completed", full: true });
    await addRun("del-ask", "b", { full: true });
    await addRun("del-ask", "pilot", { pilot: s.id });
    signInAs(owner);
    for (const body of [undefined, {}, { confirm: "del-as" }, { confirm: 3 }]) {
      const res = await studyDELETE(req("DELETE", body), ctx(s.id));
      expect(res.status).toBe(422);
      expect((await res.json()).error).toBe(
        'Deleting "Study del-ask" removes 3 runs (1 of them pilot), 2 trials, 2 interaction events, 2 model streams with 2 model trials, 2 fits, 2 jobs; it cannot be undone. Send {"confirm": "del-ask"} to confirm.',
      );
    }
    expect(await db().run.count({ where: { studyId: s.id } })).toBe(3);
  });

  it("with the slug: removes the study and all its data, and nothing of other studies", async () => {
    const s = await makeStudy("del-go");
    const other = await makeStudy("del-keep");
    const runs = [
      await addRun("del-go", "a", { status: "completed", full: true }),
      await addRun("del-go", "b", { full: true }),
    ];
    const kept = await addRun("del-keep", "a", { status: "completed", full: true });
    await db().job.create({
      data: { kind: "fit", payload: {}, studyId: s.id, dedupeKey: `fit/${s.id}`, status: "done" },
    });
    signInAs(stranger);
    expect((await studyDELETE(req("DELETE", { confirm: "del-go" }), ctx(s.id))).status).toBe(404);
    expect(await db().study.count({ where: { id: s.id } })).toBe(1);

    signInAs(owner);
    const res = await studyDELETE(req("DELETE", { confirm: "del-go" }), ctx(s.id));
    expect(res.status).toBe(200);
    expect((await res.json()).removed).toEqual({
      runs: 2,
      pilotRuns: 0,
      trials: 2,
      events: 2,
      modelRuns: 2,
      modelTrials: 2,
      fits: 2,
      jobs: 3,
    });
    const ids = runs.map((r) => r.id);
    expect(await db().study.count({ where: { id: s.id } })).toBe(0);
    expect(await db().run.count({ where: { id: { in: ids } } })).toBe(0);
    expect(await db().trial.count({ where: { runId: { in: ids } } })).toBe(0);
    expect(await db().runEvent.count({ where: { runId: { in: ids } } })).toBe(0);
    expect(await db().modelRun.count({ where: { runId: { in: ids } } })).toBe(0);
    expect(await db().modelTrial.count({ where: { modelRun: { runId: { in: ids } } } })).toBe(0);
    expect(await db().fit.count({ where: { studyId: s.id } })).toBe(0);
    expect(
      await db().job.count({ where: { OR: [{ studyId: s.id }, { runId: { in: ids } }] } }),
    ).toBe(0);
    // the other study is whole
    expect(await db().study.count({ where: { id: other.id } })).toBe(1);
    expect(await db().trial.count({ where: { runId: kept.id } })).toBe(1);
    expect(await db().modelTrial.count({ where: { modelRun: { runId: kept.id } } })).toBe(1);
    expect(await db().fit.count({ where: { studyId: other.id } })).toBe(1);
    expect(await db().job.count({ where: { runId: kept.id } })).toBe(1);
    // its link is gone
    expect(await createOrResumeRun("del-go", { participant: "z" })).toEqual({
      kind: "refused",
      reason: "not-found",
    });
  });
});
