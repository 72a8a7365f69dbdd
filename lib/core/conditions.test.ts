import {
  assignRun,
  counterbalanceCells,
  effectiveConfig,
  keyMappingLabel,
  usesAssignment,
  type AssignmentTally,
} from "./conditions";
import { curriculumTaskPair, generateCurriculum, participantSeedFor } from "./curriculum";
import { defaultStudyConfig, studyConfigSchema, type StudyConfigInput } from "./study-config";
import { correctKey, getTaskPair, isCongruent, targetFor } from "./task-pairs";

const twoConditions: StudyConfigInput = {
  blocks: 12,
  trialsPerBlock: 8,
  firstTask: "counterbalance",
  keyMapping: "counterbalance",
  conditions: [{ name: "short" }, { name: "long", blocks: 2, trialsPerBlock: 48 }],
};

/** Assign n participants one after another, each seeing the runs before it (all still running). */
function assignMany(input: StudyConfigInput, n: number) {
  const config = studyConfigSchema.parse(input);
  const tallies = new Map<string, AssignmentTally>();
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = assignRun(config, [...tallies.values()], participantSeedFor(config.seed, i));
    const key = `${a.condition}/${a.cell}`;
    const t = tallies.get(key) ?? { condition: a.condition, cell: a.cell, runs: 0 };
    tallies.set(key, { ...t, runs: t.runs + 1 });
    out.push(a);
  }
  return out;
}

const countBy = <T>(xs: T[], key: (x: T) => string) =>
  xs.reduce<Record<string, number>>((m, x) => ({ ...m, [key(x)]: (m[key(x)] ?? 0) + 1 }), {});

describe("StudyConfig conditions", () => {
  it("a study without conditions parses as before and assigns nothing in the database", () => {
    const config = defaultStudyConfig();
    expect(config.conditions).toEqual([]);
    expect(config.assignment).toBe("balanced");
    expect(config.keyMapping).toBe("fixed");
    expect(usesAssignment(config)).toBe(false);
    expect(usesAssignment({ ...config, keyMapping: "counterbalance" })).toBe(true);
  });

  it("applies each condition's overrides over the base config", () => {
    const config = studyConfigSchema.parse({
      ...twoConditions,
      timing: { itiMs: 400 },
      conditions: [
        { name: "short" },
        { name: "long", blocks: 2, trialsPerBlock: 48, timing: { responseWindowMs: 3000 } },
      ],
    });
    const long = effectiveConfig(config, "long");
    expect(long).toMatchObject({ blocks: 2, trialsPerBlock: 48, conditions: [] });
    expect(long.timing).toEqual({ ...config.timing, responseWindowMs: 3000, itiMs: 400 });
    expect(effectiveConfig(config, "short")).toEqual({ ...config, conditions: [] });
    expect(() => effectiveConfig(config, "nope")).toThrow(/nope/);
  });

  it("reports each condition's bad field on that condition's path", () => {
    const r = studyConfigSchema.safeParse({
      conditions: [
        { name: "a", trialsPerBlock: 2 },
        { name: "a", timing: { responseWindowMs: 50 } },
        { name: "bad name!" },
        { name: "x", colour: "red" },
      ],
    });
    expect(r.success).toBe(false);
    const issues = Object.fromEntries(r.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(issues["conditions.0.trialsPerBlock"]).toMatch(/Trials per block .* 4 to 200/);
    expect(issues["conditions.1.name"]).toMatch(/Two conditions are called "a"/);
    expect(issues["conditions.1.timing.responseWindowMs"]).toMatch(/Response window/);
    expect(issues["conditions.2.name"]).toMatch(/Letters, digits/);
    expect(r.error!.issues.some((i) => i.path.join(".").startsWith("conditions.3"))).toBe(true);
    expect(
      studyConfigSchema.safeParse({
        conditions: Array.from({ length: 9 }, (_, i) => ({ name: `c${i}` })),
      }).success,
    ).toBe(false);
  });
});

describe("assignRun", () => {
  it("balances 40 participants 20/20 and, within each condition, first task and every rule's mapping", () => {
    const runs = assignMany(twoConditions, 40);
    expect(countBy(runs, (a) => a.condition!)).toEqual({ short: 20, long: 20 });
    for (const name of ["short", "long"]) {
      const inCondition = runs.filter((a) => a.condition === name);
      expect(countBy(inCondition, (a) => a.config.firstTask)).toEqual({ A: 10, B: 10 });
      for (const rule of ["parity", "magnitude"])
        expect(inCondition.filter((a) => a.swapped.includes(rule))).toHaveLength(10);
      // the run's config is the condition's, with its first task decided
      for (const a of inCondition) {
        expect(a.config.conditions).toEqual([]);
        expect(a.config.trialsPerBlock).toBe(name === "long" ? 48 : 8);
      }
    }
  });

  it("fills the condition with the fewest runs that count, ties by a seeded draw", () => {
    const config = studyConfigSchema.parse(twoConditions);
    const tallies = [{ condition: "short", cell: 0, runs: 3 }];
    for (let seed = 0; seed < 20; seed++)
      expect(assignRun(config, tallies, seed).condition).toBe("long");
    const draws = Array.from({ length: 200 }, (_, s) => assignRun(config, [], s).condition);
    expect(new Set(draws)).toEqual(new Set(["short", "long"]));
    // the same seed always draws the same condition
    expect(Array.from({ length: 200 }, (_, s) => assignRun(config, [], s).condition)).toEqual(
      draws,
    );
  });

  it("random assignment draws from every condition, seeded, ignoring the tallies", () => {
    const config = studyConfigSchema.parse({ ...twoConditions, assignment: "random" });
    const tallies = [{ condition: "short", cell: 0, runs: 100 }];
    const draws = Array.from({ length: 400 }, (_, s) => assignRun(config, tallies, s).condition);
    const n = countBy(draws, (d) => d!);
    expect(n.short).toBeGreaterThan(150);
    expect(n.long).toBeGreaterThan(150);
  });

  it("a pilot's chosen condition wins, an unknown one throws", () => {
    const config = studyConfigSchema.parse(twoConditions);
    const tallies = [
      { condition: "short", cell: 0, runs: 0 },
      { condition: "long", cell: 0, runs: 9 },
    ];
    expect(assignRun(config, tallies, 1, "long").condition).toBe("long");
    expect(() => assignRun(config, tallies, 1, "medium")).toThrow(/medium/);
  });

  it("keeps fixed designs fixed: one cell, first task and keys as configured", () => {
    const config = studyConfigSchema.parse({ conditions: [{ name: "x", firstTask: "B" }] });
    expect(counterbalanceCells(effectiveConfig(config, "x"))).toEqual([
      { firstTask: "B", swapped: [] },
    ]);
    const a = assignRun(config, [], 5);
    expect(a).toMatchObject({ condition: "x", cell: 0, swapped: [] });
    expect(a.config.firstTask).toBe("B");
  });
});

describe("counterbalanced key mapping in the curriculum", () => {
  const pair = getTaskPair("parity-magnitude");
  const keys = { left: "f", right: "j" };

  it("a swapped rule sends every stimulus to the other key, and congruency follows", () => {
    const config = studyConfigSchema.parse({ blocks: 4, trialsPerBlock: 16 });
    const c = generateCurriculum(config, 7, 0, ["parity"]);
    expect(c.swapped).toEqual(["parity"]);
    const mapped = curriculumTaskPair(c);
    for (const t of [...c.practice, ...c.trials]) {
      const plain = correctKey(pair, t.task, t.stimulus, keys);
      expect(t.correctResponse).toBe(t.task === "parity" ? (plain === "f" ? "j" : "f") : plain);
      expect(t.congruent).toBe(!isCongruent(pair, t.stimulus));
      expect(targetFor(mapped, t.task, t.stimulus)).toBe(t.correctResponse === "j" ? 1 : -1);
    }
    // still balanced: half the trials of every block congruent under this participant's mapping
    const block0 = c.trials.filter((t) => t.blockIndex === 0);
    expect(block0.filter((t) => t.congruent)).toHaveLength(8);
    expect(keyMappingLabel(c)).toBe(
      "parity: f = even digits, j = odd digits; magnitude: f = digits smaller than 5, j = digits larger than 5",
    );
  });

  it("an unswapped curriculum is exactly as before (no swapped field)", () => {
    const c = generateCurriculum(defaultStudyConfig(), 3, 1);
    expect(c).not.toHaveProperty("swapped");
    expect(generateCurriculum(defaultStudyConfig(), 3, 1, [])).toEqual(c);
    expect(() => generateCurriculum(defaultStudyConfig(), 3, 1, ["colour"])).toThrow(/colour/);
  });
});
