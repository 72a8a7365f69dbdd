/// <reference types="vitest/globals" />
import { resolveAnalysisOptions } from "./analysis";
import { participantSeedFor } from "./curriculum";
import {
  addTrial,
  emptySums,
  predictedStream,
  predictionCellsAndUnits,
  predictionInputs,
  predictionOptions,
  predictionPlan,
  type PredictedSums,
} from "./predictions";
import { computeAnalysisFromCells, type UnitRow } from "./recovery";
import { createRng } from "./rng";
import { studyConfigSchema } from "./study-config";
import { computeCellsFromTrials, mergeCells } from "./testing/switch-oracle";
import type { TrialRecord } from "./trial-record";

const blockLength = studyConfigSchema.parse({
  blocks: 48,
  trialsPerBlock: 8,
  keyMapping: "counterbalance",
  conditions: [{ name: "short" }, { name: "long", blocks: 8, trialsPerBlock: 48 }],
});

/** Model-like records of one curriculum: errors fall with position, loss with noise. */
function modelRecords(
  trials: { blockIndex: number; trialInBlock: number; task: string; congruent: boolean }[],
  seed: number,
): TrialRecord[] {
  const rng = createRng(seed);
  return trials.map((t, trialIndex) => ({
    phase: "main",
    trialIndex,
    ...t,
    stimulus: "3",
    correctResponse: "f",
    response: "f",
    correct: rng.next() > 0.5 / (t.trialInBlock + 1),
    rtMs: null,
    timeElapsedMs: null,
    output: 0,
    loss: rng.next() / (t.trialInBlock + 1),
    gates: [],
  }));
}

describe("predictionPlan", () => {
  it("gives each condition its design, the real participants' seeds and balanced cells", () => {
    const plan = predictionPlan(blockLength, 4);
    expect(plan.map((c) => [c.condition, c.design])).toEqual([
      ["short", { blocks: 48, trialsPerBlock: 8 }],
      ["long", { blocks: 8, trialsPerBlock: 48 }],
    ]);
    for (const c of plan) {
      expect(c.participants.map((p) => p.participantSeed)).toEqual(
        [0, 1, 2, 3].map((i) => participantSeedFor(blockLength.seed, i)),
      );
      // same total trials in both conditions
      expect(c.participants[0].curriculum.trials).toHaveLength(384);
      // counterbalanced key mappings in assignment order: none, both, parity only, magnitude only
      expect(c.participants.map((p) => p.curriculum.swapped ?? [])).toEqual([
        [],
        ["parity", "magnitude"],
        ["parity"],
        ["magnitude"],
      ]);
    }
    expect(new Set(plan[0].participants.map((p) => p.modelSeed)).size).toBe(4);
  });

  it("plans one unnamed condition for a study without conditions", () => {
    const plan = predictionPlan(studyConfigSchema.parse({}), 2);
    expect(plan.map((c) => c.condition)).toEqual([null]);
    expect(plan[0].design).toEqual({ blocks: 20, trialsPerBlock: 24 });
  });
});

describe("predictionInputs", () => {
  const params = { tauW: 1 };
  const key = (c: unknown) => JSON.stringify(predictionInputs(studyConfigSchema.parse(c), params));
  it("changes with the design and seeds, not with recruitment or consent", () => {
    const base = key({});
    expect(key({ consentText: "other" })).toBe(base);
    expect(key({ recruitment: { completionCode: "X1" } })).toBe(base);
    expect(key({ blocks: 21 })).not.toBe(base);
    expect(key({ seed: 2 })).not.toBe(base);
    expect(key({ conditions: [{ name: "a" }] })).not.toBe(base);
    expect(JSON.stringify(predictionInputs(studyConfigSchema.parse({}), { tauW: 2 }))).not.toBe(
      base,
    );
  });
});

/** Sums and records of a few predicted participants of one design, two model seeds each. */
function fixture(design: { blocks: number; trialsPerBlock: number }, participants = 3) {
  const config = studyConfigSchema.parse(design);
  const plan = predictionPlan(config, participants)[0];
  const records: TrialRecord[][] = [];
  const sums: PredictedSums[] = plan.participants.map((p) => {
    const s = emptySums(p, p.curriculum.trials, 2);
    for (let m = 0; m < 2; m++) {
      const recs = modelRecords(p.curriculum.trials, p.participantSeed + m);
      records.push(recs);
      recs.forEach((r) => addTrial(s, r, r.correct, r.loss!));
    }
    return s;
  });
  return { plan, sums, records };
}

/** The dashboard's per-unit groupings (lib/server/dashboard.ts unitColumns) straight from trials. */
function unitOracle(
  recordsPerUnit: TrialRecord[][],
  o: ReturnType<typeof predictionOptions>,
): UnitRow[] {
  const out = new Map<string, UnitRow>();
  recordsPerUnit.forEach((records, u) => {
    const add = (
      kind: UnitRow["kind"],
      a: number,
      b: number | null,
      c: boolean | null,
      r: TrialRecord,
    ) => {
      const key = `${u}|${kind}|${a}|${b}|${c}`;
      const row = out.get(key) ?? {
        stream: "predicted",
        unit: `p${u}`,
        kind,
        a,
        b,
        congruent: c,
        n: 0,
        errors: 0,
        rtSumMs: 0,
        nRt: 0,
        lossSum: 0,
        nLoss: 0,
      };
      row.n++;
      row.errors += r.correct ? 0 : 1;
      row.lossSum += r.loss!;
      row.nLoss++;
      out.set(key, row);
    };
    for (const r of records) {
      const p = r.trialInBlock + 1;
      if (r.blockIndex >= 1 && p <= o.positions) {
        add("L", Math.floor((r.blockIndex - 1) / o.switchesPerLevel), p, null, r);
        add("K", r.blockIndex, null, null, r);
      }
      if (r.blockIndex >= 1 && p === 1) add("C", 1, null, r.congruent, r);
      else if (p >= o.repeatFromPosition) add("C", 0, null, r.congruent, r);
    }
  });
  return [...out.values()];
}

/** Every number to 9 decimals (sums in another order differ in the last bits). */
const roundDeep = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v, (_, x) => (typeof x === "number" ? Number(x.toFixed(9)) : x)));

const sortUnits = (rows: UnitRow[]) =>
  rows
    .map((r) => ({ ...r, lossSum: Number(r.lossSum.toFixed(9)) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("predicted sums", () => {
  it.each([
    [{ blocks: 48, trialsPerBlock: 8 }, "grouped"],
    [{ blocks: 8, trialsPerBlock: 48 }, "grouped"],
    [{ blocks: 8, trialsPerBlock: 48 }, "first4"],
    [{ blocks: 6, trialsPerBlock: 4 }, "grouped"],
  ] as const)("give the cells and units of the trials themselves (%j, %s)", (design, levels) => {
    const { sums, records } = fixture(design);
    const o = predictionOptions(design, levels);
    const { cells, units } = predictionCellsAndUnits(sums, "predicted", o);
    const tail = Math.max(o.positions, o.repeatFromPosition - 1) + 1;
    const oracleCells = mergeCells(
      ...records.map((rs) =>
        computeCellsFromTrials(
          rs.map((record) => ({ record, rtKept: false })),
          tail,
        ),
      ),
    );
    const round = (cs: typeof cells) =>
      cs.map((c) => ({ ...c, lossSum: Number(c.lossSum.toFixed(9)) }));
    expect(round(cells)).toEqual(round(oracleCells));
    // units: one per predicted participant, its two model seeds pooled
    const perUnit = [0, 1, 2].map((u) => [...records[2 * u], ...records[2 * u + 1]]);
    expect(sortUnits(units)).toEqual(sortUnits(unitOracle(perUnit, o)));
    expect(roundDeep(computeAnalysisFromCells(cells, o))).toEqual(
      roundDeep(computeAnalysisFromCells(oracleCells, o)),
    );
  });

  it("gives a stream with ± 1 SE over predicted participants and counts every model seed", () => {
    const design = { blocks: 8, trialsPerBlock: 48 };
    const { sums } = fixture(design);
    const s = predictedStream(sums, predictionOptions(design));
    expect(s.streams).toBe(6);
    expect(s.intervals.units).toBe(3);
    expect(s.intervals.method).toEqual({ kind: "se" });
    expect(s.recovery.length).toBeGreaterThan(0);
    expect(s.trend.perSwitch.map((p) => p.switchIndex)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("refuses options its stored positions cannot answer", () => {
    const { sums } = fixture({ blocks: 4, trialsPerBlock: 12 }, 1);
    expect(() =>
      predictionCellsAndUnits(sums, "x", resolveAnalysisOptions({ positions: 10 })),
    ).toThrow(/positions/);
  });
});
