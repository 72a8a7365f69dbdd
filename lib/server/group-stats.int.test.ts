// Data-quality flags and group statistics against a real, migrated database: participants from the
// generator zoo are stored like real runs; a chance responder is flagged on the monitor and in the
// export, left out of the group statistics with its reasons, and put back on request.
import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema } from "@/lib/core/study-config";
import { getGenerator } from "@/lib/model/fit/generators";

import { fetchDashboard } from "./dashboard";
import { getDb } from "./db";
import { createStudyExport } from "./exports";
import { fetchGroupStats } from "./group-stats";
import { fetchStudyMonitor } from "./monitor";
import { completeRun, createOrResumeRun } from "./runs";
import { seedSyntheticStudy } from "./testing/dashboard-fixtures";
import { expectSame } from "./testing/expect-same";
import { parseCsv } from "./testing/parse-csv";

const config = studyConfigSchema.parse({ practice: { trials: 0 } });

async function study(slug: string) {
  const db = getDb();
  const owner = await db.user.create({ data: { email: `${slug}@t`, passwordHash: "x" } });
  const s = await db.study.create({
    data: { slug, title: slug, ownerId: owner.id, config, status: "open" },
  });
  return { owner, study: s };
}

/** A run whose main trials come from a zoo generator; completed unless `complete` is false. */
async function zooRun(slug: string, generator: string, seed: number, complete = true) {
  const db = getDb();
  const entry = await createOrResumeRun(slug, {});
  if (entry.kind !== "run") throw new Error("no run");
  const run = await db.run.findUniqueOrThrow({ where: { token: entry.token } });
  const curriculum = curriculumSchema.parse(run.curriculum);
  const p = getGenerator(generator).generate({ config, curriculum, seed });
  await db.trial.createMany({
    data: p.trials.map(({ output: _o, loss: _l, gates: _g, ...t }) => ({ ...t, runId: run.id })),
  });
  if (complete) await completeRun(entry.token);
  return run;
}

describe("quality flags and group statistics", () => {
  it("flags a chance responder everywhere and leaves it out of the group statistics by default", async () => {
    const { owner, study: s } = await study("gs-1");
    const good = [
      await zooRun("gs-1", "practice-reduced", 1),
      await zooRun("gs-1", "practice-reduced", 2),
      await zooRun("gs-1", "practice-reduced", 3),
    ];
    const chance = await zooRun("gs-1", "chance", 4);
    const db = getDb();
    // stored fits: flexible better for the three good ones
    for (const [i, r] of [...good, chance].entries())
      for (const [model, bic] of [
        ["flexible", 100 + i],
        ["forgetful", 110 + i],
      ] as const)
        await db.fit.create({
          data: {
            studyId: s.id,
            runId: r.id,
            model,
            params: {},
            logLik: -bic / 2,
            bic,
            nTrials: 480,
            nParams: 5,
            seed: 1,
            codeVersion: "t",
          },
        });

    const monitor = (await fetchStudyMonitor(owner.id, s.id))!;
    const row = (id: string) => monitor.runs.find((r) => r.id === id)!;
    expect(row(chance.id).quality.flagged).toBe(true);
    expect(row(chance.id).quality.codes).toContain("near-chance");
    expect(row(chance.id).quality.reasons.join(" ")).toMatch(/upper 95 % bound/);
    for (const r of good) expect(row(r.id).quality.flagged).toBe(false);
    // a second poll with nothing new gives the same answer (served from the cache)
    expect((await fetchStudyMonitor(owner.id, s.id))!.runs).toEqual(monitor.runs);

    const exp = (await createStudyExport(owner.id, s.id, "csv", { streams: ["human"] }))!;
    const rows = parseCsv(await new Response(exp.body).text());
    const col = rows[0].indexOf("qualityFlags");
    const byIndex = new Map(
      rows.slice(1).map((r) => [r[rows[0].indexOf("participantIndex")], r[col]]),
    );
    expect(byIndex.get(String(chance.participantIndex))).toMatch(/near-chance/);
    expect(byIndex.get(String(good[0].participantIndex))).toBe("");

    const g = await fetchGroupStats(owner.id, s.id);
    expectSame(g, await fetchGroupStats(owner.id, s.id, { from: "trials" }));
    expect(g.includeFlagged).toBe(false);
    expect(g.excluded).toEqual([
      expect.objectContaining({
        runId: chance.id,
        reasons: expect.arrayContaining([expect.stringMatching(/chance/)]),
      }),
    ]);
    expect(g.participants.filter((p) => p.included).map((p) => p.runId)).toEqual(
      good.map((r) => r.id),
    );
    expect(g.practice.human.participants).toBe(3);
    expect(g.practice.human.error!.n).toBe(3);
    expect(g.bms!.models).toEqual(["flexible", "forgetful"]);
    expect(g.bms!.participants).toBe(3);
    expect(g.bms!.summedBic).toEqual([100 + 101 + 102, 110 + 111 + 112]);
    expect(g.bms!.expectedFrequency[0]).toBeGreaterThan(0.5);

    // the dashboard's study-level view leaves the same runs out
    const excludeRunIds = g.excluded.map((e) => e.runId);
    expect((await fetchDashboard({ studyId: s.id, excludeRunIds })).human.streams).toBe(3);
    expect((await fetchDashboard({ studyId: s.id })).human.streams).toBe(4);

    const all = await fetchGroupStats(owner.id, s.id, { includeFlagged: true });
    expectSame(
      all,
      await fetchGroupStats(owner.id, s.id, { includeFlagged: true, from: "trials" }),
    );
    expect(all.excluded).toEqual([]);
    expect(all.practice.human.participants).toBe(4);
    expect(all.bms!.participants).toBe(4);
  });

  it("reads stored per-run summaries that give what the trials give, and reads no trial twice", async () => {
    const db = getDb();
    const owner = await db.user.create({ data: { email: "gs-3@t", passwordHash: "x" } });
    const { studyId } = await seedSyntheticStudy(db, {
      ownerId: owner.id,
      slug: "gs-3",
      runs: 6,
      pilot: 1,
      incomplete: 1,
      blocks: 12,
      perBlock: 10,
      seed: 5,
    });
    const scratch = await fetchGroupStats(owner.id, studyId, { from: "trials" });
    // the oracle stores nothing
    expect(await db.runSwitchSummary.count({ where: { run: { studyId } } })).toBe(0);
    const stored = await fetchGroupStats(owner.id, studyId);
    expectSame(stored, scratch);
    // the synthetic streams' misses and anticipations flag some runs; the others are analysed
    const included = stored.participants.filter((p) => p.included).map((p) => p.runId);
    expect(included.length).toBeGreaterThanOrEqual(3);
    expect(stored.practice.human.participants).toBe(included.length);
    expect(Object.keys(stored.practice.models).sort()).toEqual(["flexible", "forgetful"]);
    expect(stored.practice.models.flexible.participants).toBe(included.length);
    // one group row per completed non-pilot run; a second view reads them and changes none
    const rows = () =>
      db.runSwitchSummary.findMany({
        where: { run: { studyId }, key: { startsWith: "group-" } },
        orderBy: { runId: "asc" },
      });
    const before = await rows();
    expect(before).toHaveLength(6);
    expectSame(await fetchGroupStats(owner.id, studyId), scratch);
    expect(await rows()).toEqual(before);

    // a summary whose stamp is not the run's completion time is recomputed, not trusted
    const first = included[0];
    await db.runSwitchSummary.updateMany({
      where: { runId: first, key: { startsWith: "group-" } },
      data: {
        sums: { quality: { flagged: true }, practice: { blocks: [], post: [], settled: {} } },
      },
    });
    await db.run.update({
      where: { id: first },
      data: { completedAt: new Date(Date.UTC(2026, 0, 2)) },
    });
    expectSame(await fetchGroupStats(owner.id, studyId), scratch);
    // a rerun stream (new finishedAt) is summarised again
    await db.modelTrial.updateMany({
      where: { modelRunId: `${first}-flexible` },
      data: { correct: false },
    });
    await db.modelRun.update({
      where: { id: `${first}-flexible` },
      data: { finishedAt: new Date(Date.UTC(2026, 0, 3)) },
    });
    const rerun = await fetchGroupStats(owner.id, studyId);
    expectSame(rerun, await fetchGroupStats(owner.id, studyId, { from: "trials" }));
    expect(rerun.practice.models.flexible.error!.mean).not.toBeCloseTo(
      scratch.practice.models.flexible.error!.mean,
      6,
    );
  });

  it("leaves unfinished runs out and refuses a stranger", async () => {
    const { owner, study: s } = await study("gs-2");
    await zooRun("gs-2", "constant-cost", 5, false);
    const g = await fetchGroupStats(owner.id, s.id);
    expect(g.participants).toEqual([]);
    expect(g.bms).toBeNull();
    const other = await getDb().user.create({ data: { email: "x@t", passwordHash: "x" } });
    await expect(fetchGroupStats(other.id, s.id)).rejects.toMatchObject({ status: 404 });
  });
});
