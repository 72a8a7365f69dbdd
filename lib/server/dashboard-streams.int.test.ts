// What the dashboards show must describe the data: designs read from the runs' trials (an edited
// study is never pooled across designs), one canonical model stream per run and preset whatever
// its source (never counted twice), exports that say which stream is canonical, and intervals whose
// estimates are the dashboard's own point estimates.
import { syntheticHumanStream, seedSyntheticStudy } from "./testing/dashboard-fixtures";
import { fetchDashboard, fetchStreamInventory, fetchStudyDashboard } from "./dashboard";
import { getDb } from "./db";
import { canonicalStreamIds, createStudyExport } from "./exports";
import { parseCsv } from "./testing/parse-csv";

async function exportedModelRows(studyId: string, models: "canonical" | "all") {
  const file = await createStudyExport(owner, studyId, "csv", { streams: ["model"], models });
  const [header, ...rows] = parseCsv(await new Response(file!.body).text()).filter(
    (r) => r.length > 1,
  );
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

let owner: string;

beforeAll(async () => {
  owner = (await getDb().user.create({ data: { email: "streams@test", passwordHash: "x" } })).id;
});

async function copyStream(
  modelRunId: string,
  source: "researcher_browser" | "participant_browser",
  lossShift: number,
) {
  const db = getDb();
  const m = await db.modelRun.findUniqueOrThrow({ where: { id: modelRunId } });
  const trials = await db.modelTrial.findMany({ where: { modelRunId } });
  const id = `${modelRunId}-${source}`;
  await db.modelRun.create({
    data: {
      id,
      runId: m.runId,
      studyId: m.studyId,
      preset: m.preset,
      params: {},
      seed: m.seed,
      codeVersion: "test",
      source,
      status: "done",
      finishedAt: new Date(),
      expectedTrials: trials.length,
    },
  });
  await db.modelTrial.createMany({
    data: trials.map((t) => ({ ...t, modelRunId: id, loss: t.loss + lossShift, gates: t.gates })),
  });
  return id;
}

describe("model streams by source", () => {
  it("counts one canonical stream per run and preset (server > researcher > participant browser)", async () => {
    const s = await seedSyntheticStudy(getDb(), {
      ownerId: owner,
      slug: "sources",
      runs: 3,
      blocks: 4,
      perBlock: 6,
      seed: 5,
    });
    const serverOnly = await fetchDashboard({ studyId: s.studyId });
    const [r0, r1] = s.runs;
    // run 0: two browser copies beside the server stream (wildly different losses)
    await copyStream(`${r0.runId}-flexible`, "researcher_browser", 10);
    await copyStream(`${r0.runId}-flexible`, "participant_browser", 20);
    // run 1: only the participant's browser computed it
    const only = await copyStream(`${r1.runId}-flexible`, "participant_browser", 0);
    await getDb().modelRun.delete({ where: { id: `${r1.runId}-flexible` } });

    const d = await fetchDashboard({ studyId: s.studyId });
    expect(d.filter.modelSource).toBe("canonical");
    expect(d.models.flexible.streams).toBe(3); // old: 2 (server only; run 1 invisible)
    // the canonical streams hold the same trials as the server streams did: nothing counted twice
    expect(d.models.flexible.switchCost.switchTrials.n).toBe(
      serverOnly.models.flexible.switchCost.switchTrials.n,
    );
    expect(d.models.flexible.switchCost.switchTrials.meanLoss).toBeCloseTo(
      serverOnly.models.flexible.switchCost.switchTrials.meanLoss!,
      8,
    );
    const browser = await fetchDashboard({ studyId: s.studyId, source: "participant_browser" });
    expect(browser.models.flexible.streams).toBe(2);
    expect(browser.models.forgetful.streams).toBe(0);

    const inv = await fetchStreamInventory({ studyId: s.studyId });
    const of = (source: string) => inv.find((i) => i.preset === "flexible" && i.source === source);
    expect(of("server")).toMatchObject({ streams: 2, canonical: 2 });
    expect(of("researcher_browser")).toMatchObject({ streams: 1, canonical: 0 });
    expect(of("participant_browser")).toMatchObject({ streams: 2, canonical: 1 });

    const all = await getDb().modelRun.findMany({ where: { studyId: s.studyId } });
    const canonical = canonicalStreamIds(all);
    expect(canonical.size).toBe(6);
    expect(canonical.has(only)).toBe(true);
    expect(canonical.has(`${r0.runId}-flexible`)).toBe(true);
    expect(canonical.has(`${r0.runId}-flexible-participant_browser`)).toBe(false);

    // exports: by default only canonical streams (old: every copy, an analyst counted run 0 thrice)
    const perStream = 4 * 6;
    const rows = await exportedModelRows(s.studyId, "canonical");
    expect(rows).toHaveLength(6 * perStream);
    expect(new Set(rows.map((r) => r.modelCanonical))).toEqual(new Set(["true"]));
    const everything = await exportedModelRows(s.studyId, "all");
    expect(everything).toHaveLength(8 * perStream);
    expect(everything.filter((r) => r.modelCanonical === "false")).toHaveLength(2 * perStream);
  });
});

describe("designs read from the data", () => {
  it("groups an edited study's runs by design and analyses one design at a time", async () => {
    const s = await seedSyntheticStudy(getDb(), {
      ownerId: owner,
      slug: "edited",
      runs: 2,
      blocks: 2,
      perBlock: 4,
      seed: 9,
    });
    // after an edit: one more run with 3 blocks of 4 trials
    const db = getDb();
    await db.run.create({
      data: {
        id: "edited-late",
        studyId: s.studyId,
        token: `edited-late-${"t".repeat(24)}`,
        participantIndex: 9,
        seed: 9,
        curriculum: {},
        config: {},
        codeVersion: "test",
        expectedTrials: 12,
        status: "completed",
      },
    });
    await db.trial.createMany({
      data: syntheticHumanStream(77, 3, 4).map(({ output: _o, loss: _l, gates: _g, ...r }) => ({
        ...r,
        runId: "edited-late",
      })),
    });
    const d = await fetchStudyDashboard({ studyId: s.studyId });
    expect(d.designs).toEqual([
      { blocks: 2, blockLength: 4, switches: 1, runs: 2 },
      { blocks: 3, blockLength: 4, switches: 2, runs: 1 },
    ]);
    expect(d.design).toMatchObject({ blocks: 2, switches: 1 });
    expect(d.human.streams).toBe(2); // never the 3 runs pooled
    expect(d.options.positions).toBe(4); // 4-trial blocks: positions 1–4, not 1–8
    expect(Math.max(...d.human.recovery.map((p) => p.position))).toBe(4);
    expect(new Set(d.human.trend.perSwitch.map((p) => p.switchIndex))).toEqual(new Set([1]));
    const late = await fetchStudyDashboard({
      studyId: s.studyId,
      design: { blocks: 3, blockLength: 4 },
    });
    expect(late.human.streams).toBe(1);
    expect(late.design).toMatchObject({ switches: 2 });
    expect(late.models.flexible.streams).toBe(0); // the late run has no model stream
  });
});

describe("intervals", () => {
  it("are centred on the dashboard's own estimates, seeded, and split costs by congruency", async () => {
    const s = await seedSyntheticStudy(getDb(), {
      ownerId: owner,
      slug: "intervals",
      runs: 8,
      blocks: 9,
      perBlock: 8,
      seed: 3,
    });
    const d = await fetchStudyDashboard({ studyId: s.studyId });
    const again = await fetchStudyDashboard({ studyId: s.studyId });
    expect(again.human.intervals).toEqual(d.human.intervals);
    const v = d.human.intervals.values;
    expect(d.human.intervals.units).toBe(8);
    expect(v["e:cost:all"].estimate).toBeCloseTo(d.human.switchCost.errorRate!, 10);
    expect(v["r:cost:all"].estimate).toBeCloseTo(d.human.switchCost.rtMs!, 8);
    expect(v["r:cost:all"].lo!).toBeLessThan(v["r:cost:all"].estimate!);
    expect(v["r:cost:all"].hi!).toBeGreaterThan(v["r:cost:all"].estimate!);
    expect(v["e:slope"].estimate).toBeCloseTo(d.human.trend.errorRateSlope!, 10);
    for (const p of d.human.recovery) {
      const iv = v[`e:L${p.level}:${p.position}`];
      expect(iv.estimate).toBeCloseTo(p.errorRate!, 10);
      expect(iv.units).toBe(8);
    }
    // congruent + incongruent switch trials = all switch trials
    const sw = d.human.switchCost.switchTrials;
    const c = v["e:switch:c"].estimate!,
      i = v["e:switch:i"].estimate!;
    expect(Math.min(c, i)).toBeLessThanOrEqual(sw.errorRate! + 1e-12);
    expect(Math.max(c, i)).toBeGreaterThanOrEqual(sw.errorRate! - 1e-12);
    // models: ± 1 SE over streams
    const m = d.models.flexible.intervals;
    expect(m.method.kind).toBe("se");
    expect(m.units).toBe(8);
    expect(m.values["l:cost:all"].estimate).toBeCloseTo(d.models.flexible.switchCost.loss!, 8);
  });
});

describe("the simulated demo study", () => {
  it("seeds labelled, closed, completed simulated runs with both model streams that the dashboard shows", async () => {
    const { seedSimulatedStudy } = await import("@/scripts/seed-demo");
    const id = await seedSimulatedStudy(owner, {
      slug: "sim-test",
      participants: 2,
      blocks: 4,
      trialsPerBlock: 6,
    });
    const study = await getDb().study.findUniqueOrThrow({ where: { id } });
    expect(study.status).toBe("closed");
    expect(study.title).toMatch(/SIMULATED/);
    const d = await fetchStudyDashboard({ studyId: id });
    expect(d.design).toMatchObject({ blocks: 4, blockLength: 6, runs: 2 });
    expect([d.human.streams, d.models.flexible.streams, d.models.forgetful.streams]).toEqual([
      2, 2, 2,
    ]);
    expect(d.human.switchCost.switchTrials.meanRtMs).toBeGreaterThan(200);
    // idempotent
    expect(await seedSimulatedStudy(owner, { slug: "sim-test", participants: 2 })).toBe(id);
  }, 120_000);
});
