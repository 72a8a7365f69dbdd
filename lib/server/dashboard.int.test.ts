// The dashboard's SQL aggregation against a real, migrated database: known answers on a tiny
// hand-made study, and equality with the in-memory oracle (computeSwitchAnalysis per participant,
// cells merged over participants) on a seeded synthetic study.
import {
  noExclusions,
  resolveAnalysisOptions,
  type AnalysisOptionsInput,
  type MeasureSummary,
} from "@/lib/core/analysis";
import { computeAnalysisFromCells, type SwitchCell } from "@/lib/core/recovery";
import {
  computeCellAnalysisOfRecords,
  computeSwitchAnalysis,
  mergeCells,
} from "@/lib/core/testing/switch-oracle";
import { trialRecordSchema } from "@/lib/core/trial-record";

import {
  fetchDashboard,
  fetchHumanCells,
  fetchHumanExclusionReport,
  fetchModelCells,
} from "./dashboard";
import { getDb } from "./db";
import { seedSyntheticStudy, type SyntheticStudy } from "./testing/dashboard-fixtures";

const close = (a: number | null, b: number | null) =>
  a === null || b === null ? expect(a).toBe(b) : expect(a).toBeCloseTo(b, 8);
const sameSummary = (a: MeasureSummary, b: MeasureSummary) => {
  expect([a.n, a.nRt, a.nLoss]).toEqual([b.n, b.nRt, b.nLoss]);
  close(a.errorRate, b.errorRate);
  close(a.meanRtMs, b.meanRtMs);
  close(a.meanLoss, b.meanLoss);
};
const sameCells = (a: SwitchCell[], b: SwitchCell[]) => {
  expect(a.map((c) => [c.blockIndex, c.position, c.task, c.n, c.errors, c.nRt, c.nLoss])).toEqual(
    b.map((c) => [c.blockIndex, c.position, c.task, c.n, c.errors, c.nRt, c.nLoss]),
  );
  a.forEach((c, i) => {
    expect(c.rtSumMs).toBeCloseTo(b[i].rtSumMs, 6);
    expect(c.lossSum).toBeCloseTo(b[i].lossSum, 6);
  });
};

let owner: string;
let study: SyntheticStudy;

beforeAll(async () => {
  owner = (await getDb().user.create({ data: { email: "dash@test", passwordHash: "x" } })).id;
  study = await seedSyntheticStudy(getDb(), {
    ownerId: owner,
    slug: "synthetic",
    runs: 6,
    pilot: 1,
    incomplete: 1,
    blocks: 8,
    perBlock: 12,
    seed: 11,
  });
});

describe("fetchHumanCells (known answers)", () => {
  it("counts errors per position after each switch and applies RT, post-error and SD exclusions per participant", async () => {
    const db = getDb();
    const s = await db.study.create({
      data: { slug: "tiny", title: "tiny", ownerId: owner, config: {}, status: "open" },
    });
    // One run, 2 blocks × 4 trials. Block 1: trial 0 wrong (RT 900), trial 1 right after the error (RT 600),
    // trial 2 anticipation (RT 100), trial 3 right (RT 500). Block 0: all right at 500.
    const spec = [
      [0, 0, true, 500],
      [0, 1, true, 500],
      [0, 2, true, 500],
      [0, 3, true, 500],
      [1, 0, false, 900],
      [1, 1, true, 600],
      [1, 2, true, 100],
      [1, 3, true, 500],
    ] as const;
    const run = await db.run.create({
      data: {
        studyId: s.id,
        token: "tiny-token-xxxxxxxxxxxxxxxxxxxx",
        participantIndex: 0,
        seed: 1,
        curriculum: {},
        config: {},
        codeVersion: "t",
        expectedTrials: 8,
        status: "completed",
      },
    });
    await db.trial.createMany({
      data: spec.map(([b, i, correct, rtMs], k) => ({
        runId: run.id,
        trialIndex: k,
        blockIndex: b,
        trialInBlock: i,
        task: b === 0 ? "parity" : "magnitude",
        stimulus: "1",
        correctResponse: "f",
        congruent: true,
        response: correct ? "f" : "j",
        correct,
        rtMs,
      })),
    });
    const options = resolveAnalysisOptions({
      positions: 2,
      exclusions: { minRtMs: 150, maxSd: null, dropPostError: true },
    });
    const cells = await fetchHumanCells({ studyId: s.id }, options);
    const a = computeAnalysisFromCells(cells, options);
    // Position 1 after switch 1: one error of one trial. Position 2: the post-error trial keeps its
    // error measure but loses its RT.
    expect(a.recovery.map((p) => [p.position, p.n, p.errorRate, p.nRt, p.meanRtMs])).toEqual([
      [1, 1, 1, 0, null],
      [2, 1, 0, 0, null],
    ]);
    // Repeat baseline (positions ≥ 2): 3 of block 0 + 2 of block 1 (the anticipation is gone), RT of 4 (post-error out).
    expect(a.switchCost.repeatTrials.n).toBe(5);
    expect(a.switchCost.repeatTrials.meanRtMs).toBe(500);
    const report = await fetchHumanExclusionReport({ studyId: s.id }, options);
    expect(report).toMatchObject({
      participants: 1,
      trialsIn: 8,
      trialsKept: 7,
      counts: { anticipation: 1, postError: 1, slowOrFastOutlier: 0, firstBlock: 0 },
    });
  });

  it("drops an RT more than maxSd SDs from the participant's own condition mean", async () => {
    const db = getDb();
    const s = await db.study.create({
      data: { slug: "sd", title: "sd", ownerId: owner, config: {}, status: "open" },
    });
    const run = await db.run.create({
      data: {
        studyId: s.id,
        token: "sd-token-xxxxxxxxxxxxxxxxxxxxxx",
        participantIndex: 0,
        seed: 1,
        curriculum: {},
        config: {},
        codeVersion: "t",
        expectedTrials: 20,
        status: "completed",
      },
    });
    const rts = [...Array.from({ length: 19 }, (_, i) => 500 + (i % 3)), 5000]; // one block, no switch trials
    await db.trial.createMany({
      data: rts.map((rtMs, k) => ({
        runId: run.id,
        trialIndex: k,
        blockIndex: 0,
        trialInBlock: k,
        task: "parity",
        stimulus: "1",
        correctResponse: "f",
        congruent: true,
        response: "f",
        correct: true,
        rtMs,
      })),
    });
    const options = resolveAnalysisOptions({ positions: 1, exclusions: { maxSd: 3 } });
    const report = await fetchHumanExclusionReport({ studyId: s.id }, options);
    expect(report.counts.slowOrFastOutlier).toBe(1);
    const a = computeAnalysisFromCells(await fetchHumanCells({ studyId: s.id }, options), options);
    expect(a.switchCost.repeatTrials.nRt).toBe(18); // positions ≥ 2: 19 trials, minus the 5000 ms one
  });
});

describe("SQL aggregation equals the in-memory analysis", () => {
  const variants: [string, AnalysisOptionsInput][] = [
    ["default exclusions, J = 8", { positions: 8 }],
    [
      "post-error + first block dropped, pooled levels",
      {
        positions: 5,
        switchesPerLevel: 3,
        exclusions: { dropPostError: true, dropFirstBlock: true },
      },
    ],
    [
      "no exclusions, into magnitude, repeat from 10",
      { positions: 3, repeatFromPosition: 10, intoTask: "magnitude", exclusions: noExclusions },
    ],
  ];
  for (const [name, input] of variants) {
    it(`per participant, SQL cells give computeSwitchAnalysis's numbers (${name})`, async () => {
      const options = resolveAnalysisOptions(input);
      for (const run of study.runs.filter((r) => !r.isPilot && r.status === "completed")) {
        const direct = computeSwitchAnalysis(run.human, input);
        const sql = computeAnalysisFromCells(
          await fetchHumanCells({ studyId: study.studyId, runId: run.runId }, options),
          options,
        );
        expect(sql.recovery.length).toBe(direct.recovery.length);
        sql.recovery.forEach((p, i) => sameSummary(p, direct.recovery[i]));
        sameSummary(sql.switchCost.switchTrials, direct.switchCost.switchTrials);
        sameSummary(sql.switchCost.repeatTrials, direct.switchCost.repeatTrials);
        sql.trend.perSwitch.forEach((p, i) => sameSummary(p, direct.trend.perSwitch[i]));
        close(sql.trend.errorRateSlope, direct.trend.errorRateSlope);
        const { participants, ...report } = await fetchHumanExclusionReport(
          { studyId: study.studyId, runId: run.runId },
          options,
        );
        expect(participants).toBe(1);
        expect(report).toEqual(direct.exclusions);
      }
    });

    it(`study-wide, SQL cells equal the participants' in-memory cells summed (${name})`, async () => {
      const options = resolveAnalysisOptions(input);
      const included = study.runs.filter((r) => !r.isPilot && r.status === "completed");
      expect(included.length).toBe(6);
      const inMemory = mergeCells(
        ...included.map((r) => computeCellAnalysisOfRecords(r.human, input).cells),
      );
      const sql = await fetchHumanCells({ studyId: study.studyId }, options);
      sameCells(sql, inMemory);
      const report = await fetchHumanExclusionReport({ studyId: study.studyId }, options);
      expect(report.participants).toBe(6);
      expect(report.trialsIn).toBe(included.reduce((s, r) => s + r.human.length, 0));
      const anticipations = included.reduce(
        (s, r) => s + computeSwitchAnalysis(r.human, input).exclusions.counts.anticipation,
        0,
      );
      expect(report.counts.anticipation).toBe(anticipations);
    });
  }

  it("includes pilot and unfinished runs only when asked", async () => {
    const options = resolveAnalysisOptions({});
    const all = await fetchHumanExclusionReport(
      { studyId: study.studyId, excludePilots: false, completedOnly: false },
      options,
    );
    expect(all.participants).toBe(8);
    const noPilots = await fetchHumanExclusionReport({ studyId: study.studyId }, options);
    expect(noPilots.participants).toBe(6);
  });

  it("aggregates model loss and errors per preset like the in-memory analysis of the model streams", async () => {
    const options = resolveAnalysisOptions({ positions: 6, exclusions: noExclusions });
    const models = await fetchModelCells({ studyId: study.studyId }, options);
    const included = study.runs.filter((r) => !r.isPilot && r.status === "completed");
    for (const preset of ["flexible", "forgetful"]) {
      const got = models.get(preset)!;
      expect(got.streams).toBe(6);
      const records = included.map((r) => r.models[preset].map((m) => trialRecordSchema.parse(m)));
      sameCells(
        got.cells,
        mergeCells(
          ...records.map(
            (rs) =>
              computeCellAnalysisOfRecords(rs, { positions: 6, exclusions: noExclusions }).cells,
          ),
        ),
      );
      // And per stream: the SQL of a single run equals computeSwitchAnalysis on that model stream.
      const one = await fetchModelCells(
        { studyId: study.studyId, runId: included[0].runId },
        options,
      );
      const direct = computeSwitchAnalysis(records[0], { positions: 6, exclusions: noExclusions });
      computeAnalysisFromCells(one.get(preset)!.cells, options).recovery.forEach((p, i) =>
        sameSummary(p, direct.recovery[i]),
      );
    }
  });

  it("fetchDashboard puts humans and both presets side by side with counts", async () => {
    const d = await fetchDashboard({ studyId: study.studyId }, { switchesPerLevel: 2 });
    expect(d.options.positions).toBe(8);
    expect(d.human.streams).toBe(6);
    expect(d.models.flexible.streams).toBe(6);
    expect(d.models.forgetful.streams).toBe(6);
    expect(d.human.recovery.length).toBe(Math.ceil(7 / 2) * 8);
    expect(d.models.flexible.recovery[0].meanLoss).not.toBeNull();
    expect(d.human.recovery[0].meanRtMs).not.toBeNull();
    const other = await fetchDashboard({ studyId: "no-such-study" });
    expect(other.human.streams).toBe(0);
    expect(other.human.recovery).toEqual([]);
  });
});
