// The stored per-run summaries (dashboard-summary.ts) must give the dashboard exactly what the
// from-scratch aggregation over every trial gives (fetchDashboard(…, { from: "trials" })): for
// each view option, after new runs complete, after a model stream is rerun, after a study edit,
// with pilots, flagged runs left out, mixed designs and every stream source.
import { syntheticHumanStream, seedSyntheticStudy } from "./testing/dashboard-fixtures";
import { type DashboardData, fetchDashboard, fetchStudyDashboard } from "./dashboard";
import { getDb } from "./db";
import { storeModelStream } from "./model-streams";
import { expectSame } from "./testing/expect-same";

const summaryRows = async () => ({
  runs: await getDb().runSwitchSummary.count(),
  streams: await getDb().modelRunSwitchSummary.count(),
});

let owner: string;
let studyId: string;
let runIds: string[];

beforeAll(async () => {
  owner = (await getDb().user.create({ data: { email: "summary@test", passwordHash: "x" } })).id;
  const s = await seedSyntheticStudy(getDb(), {
    ownerId: owner,
    slug: "summary",
    runs: 7,
    pilot: 1,
    incomplete: 1,
    blocks: 9,
    perBlock: 11,
    seed: 3,
  });
  studyId = s.studyId;
  runIds = s.runs.map((r) => r.runId);
});

async function both(
  ...args: [
    Parameters<typeof fetchDashboard>[0],
    Parameters<typeof fetchDashboard>[1]?,
    Parameters<typeof fetchDashboard>[2]?,
  ]
): Promise<[DashboardData, DashboardData]> {
  const stored = await fetchDashboard(args[0], args[1], args[2]);
  const scratch = await fetchDashboard(args[0], args[1], args[2], { from: "trials" });
  return [stored, scratch];
}

describe("dashboard from stored summaries = from the trials", () => {
  it("stores one row per completed run and finished stream on first view, then reuses them", async () => {
    expect(await summaryRows()).toEqual({ runs: 0, streams: 0 });
    const [stored, scratch] = await both({ studyId });
    expectSame(stored, scratch);
    expect(stored.human.streams).toBe(7);
    // 7 completed + 1 completed pilot; the incomplete run gets none
    expect(await summaryRows()).toEqual({ runs: 8, streams: 16 });
    const computedAt = (await getDb().runSwitchSummary.findFirstOrThrow()).computedAt;
    await fetchDashboard({ studyId });
    expect((await getDb().runSwitchSummary.findFirstOrThrow()).computedAt).toEqual(computedAt);
  });

  it.each([
    ["defaults", {}, {}],
    ["post-error RTs dropped", { exclusions: { dropPostError: true } }, {}],
    ["first block dropped, no SD trim", { exclusions: { dropFirstBlock: true, maxSd: null } }, {}],
    ["5 positions, 3 switches per level", { positions: 5, switchesPerLevel: 3 }, {}],
    ["first 4 switches (Fig. 8B)", { switchesPerLevel: 1 }, { maxLevels: 4 }],
    ["repeats from position 4", { positions: 3, repeatFromPosition: 4 }, {}],
  ] as const)("%s", async (_name, input, unitOptions) => {
    const [stored, scratch] = await both({ studyId }, input, unitOptions);
    expectSame(stored, scratch);
  });

  it("with pilots, flagged runs left out, and each stream source", async () => {
    for (const filter of [
      { studyId, excludePilots: false },
      { studyId, excludeRunIds: [runIds[0], runIds[3]] },
      { studyId, source: "server" as const },
      { studyId, source: "participant_browser" as const },
    ]) {
      const [stored, scratch] = await both(filter);
      expectSame(stored, scratch);
    }
  });

  it("the study dashboard (designs, levels, post-error option) is the same", async () => {
    for (const view of [{}, { levels: "first4" as const, dropPostError: true }]) {
      const stored = await fetchStudyDashboard({ studyId }, view);
      const scratch = await fetchStudyDashboard({ studyId }, view, { from: "trials" });
      expectSame(stored, scratch);
    }
  });

  it("after a run completes, a model stream is rerun and the study is edited", async () => {
    const db = getDb();
    const incomplete = runIds[8];
    expect((await fetchDashboard({ studyId })).human.streams).toBe(7);
    // the incomplete run receives its last trials and completes
    await db.run.update({
      where: { id: incomplete },
      data: { status: "completed", completedAt: new Date() },
    });
    let [stored, scratch] = await both({ studyId });
    expectSame(stored, scratch);
    expect(stored.human.streams).toBe(8);

    // a rerun rewrites a stream with other trials (new finishedAt): its summary is recomputed
    const before = stored.models.flexible.switchCost.switchTrials.errorRate;
    const records = syntheticHumanStream(99, 9, 11).map((r) => ({
      ...r,
      correct: !r.correct,
      rtMs: null,
      output: 0,
      loss: 0.5,
      gates: [0.5, 0.5],
    }));
    await storeModelStream({
      runId: runIds[1],
      studyId,
      preset: "flexible",
      source: "server",
      params: {},
      seed: 1,
      records,
      expectedTrials: records.length,
    });
    [stored, scratch] = await both({ studyId });
    expectSame(stored, scratch);
    expect(stored.models.flexible.switchCost.switchTrials.errorRate).not.toBe(before);

    // an edit of the study's settings changes no run's trials: same numbers, still equal
    await db.study.update({ where: { id: studyId }, data: { config: { edited: true } } });
    const [again] = await both({ studyId });
    expectSame(again, stored);
  });

  it("a study edited mid-way: designs read from the summaries, one design at a time", async () => {
    const db = getDb();
    const s = await seedSyntheticStudy(db, {
      ownerId: owner,
      slug: "summary-mixed",
      runs: 3,
      blocks: 4,
      perBlock: 6,
      seed: 8,
    });
    const later = await seedSyntheticStudy(db, {
      ownerId: owner,
      slug: "summary-mixed-later",
      runs: 2,
      blocks: 6,
      perBlock: 5,
      seed: 9,
    });
    // move the later runs (and their streams) into the first study
    await db.run.updateMany({
      where: { id: { in: later.runs.map((r) => r.runId) } },
      data: { participantIndex: { increment: 100 } },
    });
    await db.run.updateMany({ where: { studyId: later.studyId }, data: { studyId: s.studyId } });
    await db.modelRun.updateMany({
      where: { studyId: later.studyId },
      data: { studyId: s.studyId },
    });
    for (const design of [undefined, { blocks: 6, blockLength: 5 }]) {
      const stored = await fetchStudyDashboard({ studyId: s.studyId, design });
      const scratch = await fetchStudyDashboard(
        { studyId: s.studyId, design },
        {},
        { from: "trials" },
      );
      expectSame(stored, scratch);
      expect(stored.designs.map((d) => [d.blocks, d.blockLength, d.runs])).toEqual([
        [4, 6, 3],
        [6, 5, 2],
      ]);
    }
  });

  it("a deleted run takes its summary with it", async () => {
    const db = getDb();
    const n = await db.runSwitchSummary.count({ where: { runId: runIds[2] } });
    expect(n).toBeGreaterThan(0);
    await db.run.delete({ where: { id: runIds[2] } });
    expect(await db.runSwitchSummary.count({ where: { runId: runIds[2] } })).toBe(0);
    const [stored, scratch] = await both({ studyId });
    expectSame(stored, scratch);
  });
});
