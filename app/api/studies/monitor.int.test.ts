// The monitor's server-side filter, sort and paging on a few hundred seeded runs, checked against
// the same selection done in memory on what was written; its route's 400s; and the per-row facts
// (reason, model streams, fits). Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
import { vi } from "vitest";

import { GET as runsGET } from "@/app/api/studies/[id]/runs/route";
import {
  MONITOR_SORTS,
  type MonitorQuery,
  RUN_STATUSES,
  type RunStatus,
  monitorQuerySchema,
  monitorQueryString,
  runMonitorDataSchema,
} from "@/lib/core/run-monitor";

import { getDb } from "@/lib/server/db";
import { ABANDON_AFTER_MS, fetchStudyMonitor } from "@/lib/server/monitor";
import { type SeededRun, seedMonitorStudy } from "@/lib/server/testing/monitor-fixtures";

import { signInAs } from "@/lib/server/testing/sign-in-as";

vi.mock("@/auth", () => ({ auth: vi.fn() }));

const NOW = new Date("2026-12-01T12:00:00.000Z");
const N = 300;
let ownerId = "";
let studyId = "";
let seeded: SeededRun[] = [];

beforeAll(async () => {
  const db = getDb();
  ownerId = (await db.user.create({ data: { email: "mon@lab.test", passwordHash: "x" } })).id;
  const s = await seedMonitorStudy(db, {
    ownerId,
    slug: "mon",
    runs: N,
    trialsPerRun: 24,
    seed: 11,
    now: NOW,
  });
  studyId = s.studyId;
  seeded = s.runs;
});

// ---- the same selection in memory ----
function shown(r: SeededRun): RunStatus {
  const silent =
    (r.storedStatus === "started" || r.storedStatus === "active") &&
    r.lastSeenAt.getTime() < NOW.getTime() - ABANDON_AFTER_MS;
  return silent ? "abandoned" : r.storedStatus;
}
function finished(r: SeededRun): number | null {
  if (r.storedStatus === "completed") return r.completedAt!.getTime();
  const s = shown(r);
  return s === "returned" || s === "abandoned" ? r.lastSeenAt.getTime() : null;
}
function key(r: SeededRun, sort: MonitorQuery["sort"]): number | null {
  switch (sort) {
    case "index":
      return r.participantIndex;
    case "start":
      return r.startedAt.getTime();
    case "finish":
      return finished(r);
    case "duration":
      return (r.completedAt ?? r.lastSeenAt).getTime() - r.startedAt.getTime();
    case "status":
      return RUN_STATUSES.indexOf(shown(r));
    case "accuracy":
      return r.saved > 0 ? r.correct / r.saved : null;
  }
}
function expected(q: MonitorQuery) {
  const sign = q.dir === "asc" ? 1 : -1;
  const matching = seeded
    .filter((r) => q.pilot === "all" || r.isPilot === (q.pilot === "only"))
    .filter((r) => !q.status || shown(r) === q.status)
    .filter(
      (r) =>
        !q.q ||
        (r.externalId ?? "").toLowerCase().includes(q.q.toLowerCase()) ||
        (/^\d+$/.test(q.q) && r.participantIndex === Number(q.q)),
    )
    .sort((a, b) => {
      const ka = key(a, q.sort);
      const kb = key(b, q.sort);
      if (ka !== kb) {
        if (ka === null) return 1;
        if (kb === null) return -1;
        return sign * (ka - kb);
      }
      return sign * (a.participantIndex - b.participantIndex);
    });
  const start = (q.page - 1) * q.pageSize;
  return { matching: matching.length, ids: matching.slice(start, start + q.pageSize) };
}
const query = (q: Partial<MonitorQuery>): MonitorQuery => ({
  ...monitorQuerySchema.parse({}),
  ...q,
});

describe("monitor: filter, sort and paging on the server", () => {
  it("every sort column, both directions, pages of 37: the same runs in the same order as in memory", async () => {
    for (const sort of MONITOR_SORTS)
      for (const dir of ["asc", "desc"] as const)
        for (const page of [1, 2, 9]) {
          const q = query({ sort, dir, page, pageSize: 37 });
          const got = (await fetchStudyMonitor(ownerId, studyId, q, NOW))!;
          const want = expected(q);
          expect(got.matching, `${sort} ${dir} p${page}`).toBe(want.matching);
          expect(
            got.runs.map((r) => r.participantIndex),
            `${sort} ${dir} p${page}`,
          ).toEqual(want.ids.map((r) => r.participantIndex));
        }
  });

  it("filters by shown status, pilot and external id, alone and together", async () => {
    const cases: Partial<MonitorQuery>[] = [
      ...RUN_STATUSES.map((status) => ({ status })),
      { pilot: "only" },
      { pilot: "exclude", status: "completed", sort: "accuracy", dir: "desc" },
      { q: "pid00" },
      { q: "PID00", pilot: "exclude", sort: "duration" },
      { q: "42" },
      { q: "no-such-id" },
      { q: "%" },
      { status: "abandoned", sort: "finish", dir: "desc", pageSize: 10, page: 2 },
    ];
    for (const c of cases) {
      const q = query(c);
      const got = (await fetchStudyMonitor(ownerId, studyId, q, NOW))!;
      const want = expected(q);
      expect(got.matching, JSON.stringify(c)).toBe(want.matching);
      expect(
        got.runs.map((r) => r.id),
        JSON.stringify(c),
      ).toEqual(want.ids.map((r) => r.id));
    }
    // the fixture has runs in every shown status, pilots and silent runs, so the cases above bite
    for (const s of RUN_STATUSES)
      expect(seeded.filter((r) => shown(r) === s).length).toBeGreaterThan(5);
    expect(seeded.filter((r) => r.isPilot).length).toBeGreaterThan(5);
  });

  it("counts every run of the study by shown status whatever the filter, pilots apart", async () => {
    const got = (await fetchStudyMonitor(ownerId, studyId, query({ status: "returned" }), NOW))!;
    for (const s of RUN_STATUSES)
      expect(got.statusCounts[s]).toBe(seeded.filter((r) => shown(r) === s).length);
    expect(got.totals).toEqual({
      runs: N,
      participants: seeded.filter((r) => !r.isPilot).length,
    });
  });

  it("rows carry ids, start/finish, duration and accuracy as stored", async () => {
    const got = (await fetchStudyMonitor(ownerId, studyId, query({ pageSize: 200 }), NOW))!;
    for (const row of got.runs) {
      const r = seeded.find((s) => s.id === row.id)!;
      expect(row.status).toBe(shown(r));
      expect(row.externalId).toBe(r.externalId);
      expect(row.externalStudyId).toBe(r.externalId ? "STUDY1" : null);
      expect(row.externalSessionId).toBe(r.externalId ? `SES${r.participantIndex}` : null);
      expect(row.startedAt).toBe(r.startedAt.toISOString());
      const fin = finished(r);
      expect(row.finishedAt).toBe(fin === null ? null : new Date(fin).toISOString());
      expect(row.durationMs).toBe(key(r, "duration"));
      expect(row.savedTrials).toBe(r.saved);
      expect(row.accuracy).toBe(r.saved > 0 ? r.correct / r.saved : null);
    }
  });

  it("the poll changes nothing it reads (abandonment is stored by housekeeping)", async () => {
    const before = await getDb().run.findMany({
      where: { studyId },
      select: { id: true, status: true, lastSeenAt: true },
      orderBy: { id: "asc" },
    });
    signInAs(ownerId);
    const res = await runsGET(
      new Request(`http://test/api/studies/${studyId}/runs?status=abandoned`),
      {
        params: Promise.resolve({ id: studyId }),
      },
    );
    expect(res.status).toBe(200);
    const after = await getDb().run.findMany({
      where: { studyId },
      select: { id: true, status: true, lastSeenAt: true },
      orderBy: { id: "asc" },
    });
    expect(after).toEqual(before);
  });
});

describe("GET /api/studies/<id>/runs query parameters", () => {
  const get = (qs: string) =>
    runsGET(new Request(`http://test/api/studies/${studyId}/runs?${qs}`), {
      params: Promise.resolve({ id: studyId }),
    });

  it("answers a page with the query it used", async () => {
    signInAs(ownerId);
    const q = query({ status: "completed", sort: "duration", dir: "desc", page: 2, pageSize: 20 });
    const res = await get(monitorQueryString(q));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.query).toEqual(q);
    expect(body.runs).toHaveLength(20);
    // the runs table parses every answer with lib/core's schema: the route's body passes unchanged
    const { study: _study, ...table } = body;
    expect(runMonitorDataSchema.parse(table)).toEqual(table);
  });

  it.each([
    ["sort=nonsense", /sort must be one of index, start, finish, duration, status, accuracy/],
    ["status=finished", /status must be one of started, active/],
    ["page=0", /page must be between 1 and/],
    ["page=-1", /page must be a whole number/],
    ["pageSize=5000", /pageSize must be between 1 and 200/],
    ["pageSize=1.5", /pageSize must be a whole number/],
    ["dir=up", /dir must be asc or desc/],
    ["pilot=yes", /pilot must be one of all, exclude, only/],
    ["sortBy=start", /unknown query parameter 'sortBy'/],
    ["page=1&page=2", /'page' is given more than once/],
    [`q=${"x".repeat(101)}`, /at most 100 characters/],
  ])("%s → 400 saying what is wrong", async (qs, message) => {
    signInAs(ownerId);
    const res = await get(qs);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(message);
  });

  it("a stranger gets 404 whatever the query", async () => {
    const stranger = await getDb().user.create({
      data: { email: "mon-stranger@lab.test", passwordHash: "x" },
    });
    signInAs(stranger.id);
    expect((await get("sort=nonsense")).status).toBe(404);
    expect((await get("")).status).toBe(404);
  });
});

describe("row facts", () => {
  it("says why a run ended and shows its model streams and fits", async () => {
    const db = getDb();
    const study = await db.study.create({
      data: { slug: "mon-facts", title: "Facts", ownerId, config: {}, status: "open" },
    });
    const mk = (i: number, status: RunStatus, userAgent: string | null = null) =>
      db.run.create({
        data: {
          studyId: study.id,
          token: `facts-${i}-${"t".repeat(24)}`,
          participantIndex: i,
          seed: i,
          curriculum: {},
          config: {},
          codeVersion: "t",
          status,
          expectedTrials: 4,
          userAgent,
        },
      });
    const phone = await mk(
      1,
      "returned",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148",
    );
    const declined = await mk(2, "returned", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0");
    const done = await mk(3, "completed");
    await db.modelRun.create({
      data: {
        runId: done.id,
        studyId: study.id,
        preset: "flexible",
        params: {},
        seed: 1,
        codeVersion: "t",
        source: "server",
        status: "done",
      },
    });
    await db.job.create({
      data: {
        kind: "model-stream",
        payload: { runId: done.id, preset: "forgetful" },
        status: "failed",
        runId: done.id,
        studyId: study.id,
        dedupeKey: `${done.id}/forgetful`,
      },
    });
    await db.fit.create({
      data: {
        studyId: study.id,
        runId: done.id,
        model: "flexible",
        params: {},
        logLik: -1,
        bic: 2,
        nTrials: 4,
        nParams: 5,
        seed: 1,
        codeVersion: "t",
      },
    });
    const got = (await fetchStudyMonitor(ownerId, study.id))!;
    const row = (id: string) => got.runs.find((r) => r.id === id)!;
    expect(row(phone.id).reason).toMatch(/screened out: phone or tablet/);
    expect(row(declined.id).reason).toMatch(/declined consent/);
    expect(row(done.id).reason).toBeNull();
    expect(row(done.id).streams).toEqual([
      { preset: "flexible", status: "done" },
      { preset: "forgetful", status: "failed" },
    ]);
    expect(row(done.id).fitted).toEqual(["flexible"]);
    expect(row(phone.id).streams).toEqual([]);
  });
});
