// Conditions and counterbalancing are decided in the database (lib/server/runs.ts
// createAssignedRun): participants arriving at the same moment — in one process, or on two app
// instances with their own connection pools against one PostgreSQL database — are balanced
// exactly, and each run keeps its condition, cell, effective config and key mapping.
import { PrismaPg } from "@prisma/adapter-pg";

import { curriculumSchema } from "@/lib/core/curriculum-schema";
import { studyConfigSchema, type StudyConfigInput } from "@/lib/core/study-config";
import { correctKey, getTaskPair } from "@/lib/core/task-pairs";

import { getDb, type Db } from "./db";
import { PrismaClient } from "./generated/prisma/client";
import { appendTrials, createOrResumeRun } from "./runs";
import { makeTestStudy } from "./testing/study-fixtures";
import { trialRecordFor } from "./testing/trial-records";

const design: StudyConfigInput = {
  blocks: 12,
  trialsPerBlock: 8,
  firstTask: "counterbalance",
  keyMapping: "counterbalance",
  practice: { trials: 4 },
  conditions: [{ name: "short" }, { name: "long", blocks: 2, trialsPerBlock: 48 }],
};

/** A second app instance: its own client and pool on the same PostgreSQL database (none on PGlite). */
function secondInstance(): Db | undefined {
  const url = process.env.NTA_TEST_DATABASE_URL;
  if (!process.env.DATABASE_URL || !url) return undefined;
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
}

async function runsOf(studyId: string) {
  const runs = await getDb().run.findMany({
    where: { studyId },
    orderBy: { participantIndex: "asc" },
  });
  return runs.map((r) => ({
    ...r,
    parsedConfig: studyConfigSchema.parse(r.config),
    parsedCurriculum: curriculumSchema.parse(r.curriculum),
  }));
}

describe("condition assignment in the database", () => {
  it("assigns 40 participants arriving at once (two app instances on PostgreSQL) 20/20, counterbalanced within each condition", async () => {
    const study = await makeTestStudy("cond-40", "open", design);
    const other = secondInstance();
    try {
      const entries = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          createOrResumeRun(
            "cond-40",
            { participant: `p${i}` },
            i % 2 && other ? { db: other } : {},
          ),
        ),
      );
      expect(entries.every((e) => e.kind === "run" && !e.resumed)).toBe(true);
    } finally {
      await other?.$disconnect();
    }
    const runs = await runsOf(study.id);
    expect(runs.map((r) => r.participantIndex)).toEqual([...Array(40).keys()]);
    for (const [name, blocks, perBlock] of [
      ["short", 12, 8],
      ["long", 2, 48],
    ] as const) {
      const inCondition = runs.filter((r) => r.condition === name);
      expect(inCondition).toHaveLength(20);
      // first task and every rule's key mapping: 10/10 within the condition
      const firstA = inCondition.filter((r) => r.parsedCurriculum.blocks[0].task === "parity");
      expect(firstA).toHaveLength(10);
      for (const rule of ["parity", "magnitude"])
        expect(
          inCondition.filter((r) => r.parsedCurriculum.swapped?.includes(rule) ?? false),
        ).toHaveLength(10);
      for (const r of inCondition) {
        // the effective config is stored, and the curriculum is generated from it
        expect(r.parsedConfig).toMatchObject({ blocks, trialsPerBlock: perBlock, conditions: [] });
        expect(r.parsedConfig.firstTask).toBe(
          r.parsedCurriculum.blocks[0].task === "parity" ? "A" : "B",
        );
        expect(r.expectedTrials).toBe(96);
        expect(r.parsedCurriculum.trials.filter((t) => t.blockIndex === 0)).toHaveLength(perBlock);
        expect(r.counterbalanceCell).not.toBeNull();
      }
      // exactly 2 or 3 runs in each of the 8 cells
      const cells = new Map<number, number>();
      for (const r of inCondition)
        cells.set(r.counterbalanceCell!, (cells.get(r.counterbalanceCell!) ?? 0) + 1);
      expect([...cells.values()].sort()).toEqual([2, 2, 2, 2, 3, 3, 3, 3]);
    }
    // 40 curricula generated under the lock: generous on a machine shared by many jobs
  }, 300_000);

  it("counts completed and running runs only: abandoned places are filled again, pilots never count", async () => {
    const study = await makeTestStudy("cond-refill", "open", design);
    for (let i = 0; i < 8; i++) await createOrResumeRun("cond-refill", { participant: `p${i}` });
    const short = (await runsOf(study.id)).filter((r) => r.condition === "short");
    await getDb().run.updateMany({
      where: { id: { in: short.slice(0, 3).map((r) => r.id) } },
      data: { status: "abandoned" },
    });
    const pilot = await createOrResumeRun("cond-refill", {
      pilot: study.id,
      participant: "pilot-1",
      condition: "long",
    });
    expect(pilot.kind).toBe("run");
    for (let i = 8; i < 11; i++) await createOrResumeRun("cond-refill", { participant: `p${i}` });
    const runs = await runsOf(study.id);
    expect(runs.find((r) => r.externalId === "pilot-1")).toMatchObject({
      isPilot: true,
      condition: "long",
    });
    expect(runs.slice(-3).map((r) => r.condition)).toEqual(["short", "short", "short"]);
  });

  it("stores trials judged by the run's own key mapping", async () => {
    const study = await makeTestStudy("cond-keys", "open", {
      ...design,
      conditions: [],
      firstTask: "A",
    });
    const pair = getTaskPair("parity-magnitude");
    // cells in order: none, both, parity only, magnitude only → the third run has parity swapped
    const tokens = [];
    for (let i = 0; i < 3; i++) {
      const e = await createOrResumeRun("cond-keys", { participant: `k${i}` });
      if (e.kind !== "run") throw new Error("no run");
      tokens.push(e.token);
    }
    const runs = await runsOf(study.id);
    expect(runs.map((r) => r.parsedCurriculum.swapped ?? [])).toEqual([
      [],
      ["parity", "magnitude"],
      ["parity"],
    ]);
    expect(runs.map((r) => r.condition)).toEqual([null, null, null]);
    const c = runs[2].parsedCurriculum;
    const parityTrial = c.trials.find((t) => t.task === "parity")!;
    const plain = correctKey(pair, "parity", parityTrial.stimulus, c.keys);
    expect(parityTrial.correctResponse).not.toBe(plain);
    // the registry's unswapped answer is refused; the run's own is stored as correct
    await expect(
      appendTrials(tokens[2], {
        trials: [{ ...trialRecordFor(parityTrial, plain), correctResponse: plain, correct: true }],
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(await appendTrials(tokens[2], { trials: [trialRecordFor(parityTrial)] })).toEqual({
      saved: 1,
      duplicates: 0,
    });
    const stored = await getDb().trial.findFirstOrThrow({ where: { runId: runs[2].id } });
    expect(stored).toMatchObject({ correct: true, response: parityTrial.correctResponse });
  });
});
