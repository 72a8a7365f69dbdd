/// <reference types="vitest/globals" />
import { curriculumSchema } from "./curriculum-schema";
import {
  blockStimulusCounts,
  generateCurriculum,
  orderWithoutRepeats,
  participantSeedFor,
  practiceAttemptTrials,
} from "./curriculum";
import { createRng } from "./rng";
import { studyConfigSchema, type StudyConfigInput } from "./study-config";
import {
  correctKey,
  encodeStimulus,
  getTaskPair,
  isCongruent,
  labelVector,
  responseForOutput,
  targetFor,
} from "./task-pairs";

const pair = getTaskPair("parity-magnitude");
const config = (input: StudyConfigInput = {}) => studyConfigSchema.parse(input);

const countBy = <T>(xs: readonly T[], key: (x: T) => string) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
};

describe("task pair parity-magnitude", () => {
  it("maps odd → left and even → right under parity, < 5 → left and > 5 → right under magnitude", () => {
    const keys = { left: "f", right: "j" };
    expect(pair.stimuli.map((s) => correctKey(pair, "parity", s, keys)).join("")).toBe("fjfjjfjf");
    expect(pair.stimuli.map((s) => correctKey(pair, "magnitude", s, keys)).join("")).toBe(
      "ffffjjjj",
    );
  });

  it("has half the stimuli congruent", () => {
    expect(pair.stimuli.filter((s) => isCongruent(pair, s))).toEqual(["1", "3", "6", "8"]);
  });

  it("gives orthogonal ±1 label vectors for the two rules", () => {
    const a = labelVector(pair, "parity");
    const b = labelVector(pair, "magnitude");
    expect(a.every((v) => v === 1 || v === -1)).toBe(true);
    expect(a.reduce((s, v, i) => s + v * b[i], 0)).toBe(0);
    expect(a.reduce((s, v) => s + v * v, 0)).toBe(8);
  });

  it("encodes stimuli one-hot with d_in = 8 and targets +1 for the right key", () => {
    expect(encodeStimulus(pair, "4")).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    expect(pair.encoding).toEqual({ dIn: 8, dOut: 1 });
    expect(targetFor(pair, "parity", "4")).toBe(1);
    expect(targetFor(pair, "magnitude", "4")).toBe(-1);
    expect(responseForOutput(0.3, { left: "f", right: "j" })).toBe("j");
    expect(responseForOutput(-0.3, { left: "f", right: "j" })).toBe("f");
    expect(responseForOutput(0, { left: "f", right: "j" })).toBe("f");
  });

  it("throws on an unknown stimulus, task or pair", () => {
    expect(() => encodeStimulus(pair, "5")).toThrow(/"5"/);
    expect(() => targetFor(pair, "colour", "1")).toThrow(/colour/);
    expect(() => getTaskPair("letters")).toThrow(/letters/);
  });
});

describe("generateCurriculum", () => {
  const cfg = config();
  const seed = participantSeedFor(cfg.seed, 3);

  it("is deterministic in the seed and parses with curriculumSchema", () => {
    const a = generateCurriculum(cfg, seed);
    expect(curriculumSchema.parse(a)).toEqual(a);
    expect(generateCurriculum(cfg, seed)).toEqual(a);
  });

  it("differs between seeds", () => {
    const a = generateCurriculum(cfg, participantSeedFor(cfg.seed, 0));
    const b = generateCurriculum(cfg, participantSeedFor(cfg.seed, 1));
    expect(a.trials.map((t) => t.stimulus)).not.toEqual(b.trials.map((t) => t.stimulus));
    expect(participantSeedFor(1, 0)).not.toBe(participantSeedFor(1, 1));
    expect(participantSeedFor(1, 0)).not.toBe(participantSeedFor(2, 0));
  });

  it("alternates tasks across blocks of trialsPerBlock trials with contiguous indices", () => {
    const c = generateCurriculum(cfg, seed);
    expect(c.trials).toHaveLength(cfg.blocks * cfg.trialsPerBlock);
    expect(c.blocks.map((b) => b.task)).toEqual(
      Array.from({ length: cfg.blocks }, (_, i) => (i % 2 === 0 ? "parity" : "magnitude")),
    );
    c.trials.forEach((t, i) => {
      expect(t.trialIndex).toBe(i);
      expect(t.blockIndex).toBe(Math.floor(i / cfg.trialsPerBlock));
      expect(t.trialInBlock).toBe(i % cfg.trialsPerBlock);
      expect(t.task).toBe(c.blocks[t.blockIndex].task);
      expect(t.correctResponse).toBe(correctKey(pair, t.task, t.stimulus, c.keys));
      expect(t.congruent).toBe(isCongruent(pair, t.stimulus));
    });
  });

  it("balances stimuli and congruency within every block and avoids immediate repeats", () => {
    const c = generateCurriculum(cfg, seed);
    for (const b of c.blocks) {
      const trials = c.trials.filter((t) => t.blockIndex === b.blockIndex);
      const counts = countBy(trials, (t) => t.stimulus);
      expect([...counts.keys()].sort()).toEqual([...pair.stimuli].sort());
      expect(new Set(counts.values())).toEqual(new Set([cfg.trialsPerBlock / 8]));
      expect(trials.filter((t) => t.congruent)).toHaveLength(cfg.trialsPerBlock / 2);
    }
    for (let i = 1; i < c.trials.length; i++)
      expect(c.trials[i].stimulus).not.toBe(c.trials[i - 1].stimulus);
  });

  it("balances as evenly as possible when trialsPerBlock is not a multiple of 8", () => {
    for (const n of [5, 10, 13, 30]) {
      const c = generateCurriculum(config({ trialsPerBlock: n, blocks: 6 }), seed);
      for (const b of c.blocks) {
        const trials = c.trials.filter((t) => t.blockIndex === b.blockIndex);
        const counts = [...countBy(trials, (t) => t.stimulus).values()];
        expect(
          Math.max(...counts) - Math.min(...(counts.length < 8 ? [0] : counts)),
        ).toBeLessThanOrEqual(1);
        const congruent = trials.filter((t) => t.congruent).length;
        expect(Math.abs(2 * congruent - n)).toBeLessThanOrEqual(1);
      }
      for (let i = 1; i < c.trials.length; i++)
        expect(c.trials[i].stimulus).not.toBe(c.trials[i - 1].stimulus);
    }
  });

  it("starts with task B when configured, and counterbalances by participant index parity", () => {
    expect(generateCurriculum(config({ firstTask: "B" }), seed).blocks[0].task).toBe("magnitude");
    const cb = config({ firstTask: "counterbalance" });
    expect(generateCurriculum(cb, seed, 0).blocks[0].task).toBe("parity");
    expect(generateCurriculum(cb, seed, 1).blocks[0].task).toBe("magnitude");
    expect(generateCurriculum(cb, seed, 2).blocks[0].task).toBe("parity");
  });

  it("builds practice as two mini-blocks, one per task, with the configured length", () => {
    const c = generateCurriculum(config({ practice: { trials: 9 } }), seed);
    expect(c.practice).toHaveLength(9);
    expect(c.practice.every((t) => t.phase === "practice")).toBe(true);
    expect(c.practice.map((t) => t.task)).toEqual([
      ...Array(5).fill("parity"),
      ...Array(4).fill("magnitude"),
    ]);
    expect(c.practice.map((t) => t.blockIndex)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(generateCurriculum(config({ practice: { trials: 0 } }), seed).practice).toEqual([]);
    expect(practiceAttemptTrials(c, 2).map((t) => t.trialIndex)).toEqual([
      18, 19, 20, 21, 22, 23, 24, 25, 26,
    ]);
  });

  it("uses the configured keys", () => {
    const c = generateCurriculum(config({ keys: { left: "a", right: "l" } }), seed);
    expect(new Set(c.trials.map((t) => t.correctResponse))).toEqual(new Set(["a", "l"]));
  });
});

describe("orderWithoutRepeats", () => {
  it("keeps the multiset and places no equal neighbours when possible", () => {
    const counts = new Map([
      ["x", 5],
      ["y", 4],
      ["z", 1],
    ]);
    for (let s = 0; s < 50; s++) {
      const order = orderWithoutRepeats(counts, createRng(s), "x");
      expect(countBy(order, (o) => o)).toEqual(counts);
      expect(order[0]).not.toBe("x");
      for (let i = 1; i < order.length; i++) expect(order[i]).not.toBe(order[i - 1]);
    }
  });

  it("still returns every item when a repeat is unavoidable", () => {
    expect(orderWithoutRepeats(new Map([["x", 3]]), createRng(1))).toEqual(["x", "x", "x"]);
  });

  it("block counts sum to the block length", () => {
    for (const n of [4, 7, 8, 11, 200]) {
      const counts = blockStimulusCounts(pair, n, createRng(n));
      expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(n);
    }
  });
});
