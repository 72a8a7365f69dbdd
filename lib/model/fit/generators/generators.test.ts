import { generateCurriculum, participantSeedFor } from "@/lib/core/curriculum";
import { curriculumMismatch } from "@/lib/core/curriculum-schema";
import { groupPracticeEffect, participantPracticeEffect } from "@/lib/core/group-stats";
import { assessQuality } from "@/lib/core/quality";
import { defaultStudyConfig } from "@/lib/core/study-config";
import { trialRecordSchema, type TrialRecord } from "@/lib/core/trial-record";

import { NTA_GENERATING_RANGES } from "./nta";

import { GENERATORS, getGenerator } from ".";

const config = defaultStudyConfig();
const design = { timing: config.timing, feedback: config.feedback, mainTrials: 480 };
const ctx = (i: number) => {
  const seed = participantSeedFor(11, i);
  return { config, curriculum: generateCurriculum(config, seed, i), seed: 500 + i };
};
const cohort = (name: string, n: number) =>
  Array.from({ length: n }, (_, i) => getGenerator(name).generate(ctx(i)).trials);
const rate = (ts: TrialRecord[], f: (t: TrialRecord) => boolean) => {
  const sel = ts.filter((t) => t.response !== null && f(t));
  return sel.filter((t) => !t.correct).length / Math.max(1, sel.length);
};

describe("generator zoo", () => {
  it.each(GENERATORS.map((g) => g.name))(
    "%s: 480 stored-shape trials that match the curriculum, seeded, quality as expected",
    (name) => {
      const g = getGenerator(name);
      const c = ctx(0);
      const p = g.generate(c);
      expect(p.trials).toHaveLength(480);
      p.trials.forEach((t, i) => {
        expect(trialRecordSchema.parse(t)).toEqual(t);
        expect(curriculumMismatch(c.curriculum.trials[i], t)).toBeNull();
      });
      expect(g.generate(c)).toEqual(p);
      expect(g.generate({ ...c, seed: c.seed + 1 }).trials).not.toEqual(p.trials);
      expect(assessQuality(p.trials, design).flagged).toBe(g.truth.shouldBeFlagged);
    },
  );

  it("practice-reduced: the switch cost falls (group slope < 0 in errors and RTs)", () => {
    const g = groupPracticeEffect(
      cohort("practice-reduced", 20).map((t) => participantPracticeEffect(t)),
    );
    expect(g.error!.ci[1]).toBeLessThan(0);
    expect(g.rt!.ci[1]).toBeLessThan(0);
  });

  it("constant-cost and perseveration: the cost is the same at every switch (CI includes 0), and present", () => {
    for (const name of ["constant-cost", "perseveration"]) {
      const ts = cohort(name, 20);
      const g = groupPracticeEffect(ts.map((t) => participantPracticeEffect(t)));
      expect(g.error!.excludesZero).toBe(false);
      expect(g.rt!.excludesZero).toBe(false);
      const all = ts.flat();
      expect(
        rate(all, (t) => t.blockIndex > 0 && t.trialInBlock === 0 && !t.congruent),
      ).toBeGreaterThan(0.25);
    }
  });

  it("no-switch-cost: post-switch errors and RTs are those of the settled block", () => {
    const all = cohort("no-switch-cost", 20).flat();
    const post = (t: TrialRecord) => t.blockIndex > 0 && t.trialInBlock < 2;
    const late = (t: TrialRecord) => t.trialInBlock >= 8;
    expect(Math.abs(rate(all, post) - rate(all, late))).toBeLessThan(0.02);
    const rt = (f: (t: TrialRecord) => boolean) => {
      const r = all.filter((t) => t.rtMs !== null && f(t)).map((t) => t.rtMs!);
      return r.reduce((s, v) => s + v, 0) / r.length;
    };
    expect(Math.abs(rt(post) - rt(late))).toBeLessThan(25);
  });

  it("perseveration recovers slowly; errors fall on incongruent digits", () => {
    const all = cohort("perseveration", 10).flat();
    const inc = (pos: number) => (t: TrialRecord) =>
      t.blockIndex > 0 && t.trialInBlock === pos && !t.congruent;
    expect(rate(all, inc(0))).toBeGreaterThan(0.8);
    expect(rate(all, inc(4))).toBeGreaterThan(0.3);
    expect(rate(all, (t) => t.blockIndex > 0 && t.trialInBlock < 4 && t.congruent)).toBeLessThan(
      0.05,
    );
  });

  it("bayesian: errors right after a switch on incongruent digits, gone a few trials later", () => {
    const all = cohort("bayesian", 20).flat();
    const inc = (f: (i: number) => boolean) => (t: TrialRecord) =>
      t.blockIndex > 0 && f(t.trialInBlock) && !t.congruent;
    expect(
      rate(
        all,
        inc((i) => i === 0),
      ),
    ).toBeGreaterThan(0.7);
    expect(
      rate(
        all,
        inc((i) => i >= 8),
      ),
    ).toBeLessThan(0.05);
  });

  it("chance: accuracy ≈ ½ and every one flagged", () => {
    for (const ts of cohort("chance", 10)) {
      const q = assessQuality(ts, design);
      expect(q.accuracy).toBeGreaterThan(0.42);
      expect(q.accuracy).toBeLessThan(0.58);
      expect(q.flags.map((f) => f.code)).toContain("near-chance");
    }
  });

  it("NTA generators draw θ inside their ranges; flexible ones show the Fig. 8 signature", () => {
    for (const model of ["flexible", "forgetful"] as const) {
      for (let i = 0; i < 3; i++) {
        const p = getGenerator(`nta-${model}`).generate(ctx(i));
        for (const [k, [lo, hi]] of Object.entries(NTA_GENERATING_RANGES[model]))
          expect(p.theta![k as keyof typeof p.theta]).toSatisfy((v: number) => v >= lo && v <= hi);
        expect(p.params.admitted).toBe(1);
      }
    }
  });

  it("rejects an unknown generator by name", () => {
    expect(() => getGenerator("nope")).toThrow(/known: practice-reduced/);
  });
});
